package io.steward.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Netflix Conductor 3.15 peer of the suite ({@code bench/run --with-conductor}): a one-task workflow (one SIMPLE
 * task) on a Conductor server that {@code bench/run} started on 127.0.0.1 with Redis persistence and queues, and the
 * worker that executes that task, on {@code threads} platform threads in this JVM (2 in the suite, as Celery's worker
 * concurrency).
 *
 * <p>The worker is a plain REST worker: {@code GET /api/tasks/poll/batch/{type}?count=1&timeout=100}, then
 * {@code POST /api/tasks} with status COMPLETED for the task it got. The trap is Conductor's long poll: the Redis queue
 * behind it in 3.15 (orkes-redis-queues, {@code BaseRedisQueueDAO.pop}) raises any timeout below 100 ms to 100 ms,
 * and when it finds fewer tasks than {@code count} it sleeps that whole timeout without waking for a task that
 * arrives meanwhile. So count is 1 (with 4, Celery's prefetch, every poll that finds one task still sleeps 100 ms),
 * and a task that arrives while both threads sleep waits for the next poll: up to 100 ms, about a quarter of that on
 * average with two threads. More threads shorten that wait, not the work; {@code --conductor-workers N} tries it.
 * Back-to-back round trips would lock onto that cycle: the thread that completed a workflow polls again at once and
 * sleeps 100 ms, so the next start, made right then, waits the whole sleep (about 100 ms a round trip, measured). So
 * each timed round trip starts after an untimed random pause of 0–100 ms, landing anywhere in the cycle, as
 * independent clients would.
 *
 * <p>3.15 has no synchronous "execute workflow" endpoint, so a round trip is {@code POST /api/workflow/{name}} until
 * the workflow is seen COMPLETED. Conductor decides the workflow inside the worker's task update, so the driver does
 * not poll blindly: it waits for the worker's update of that workflow's task to return, then confirms with one
 * {@code GET /api/workflow/{id}?includeTasks=false} (polling again every millisecond should it still be RUNNING).
 * That is the earliest a client could know, which favours Conductor over a client polling on an interval.
 */
final class ConductorPeer implements AutoCloseable {
    static final String WORKFLOW = "steward_bench_one";
    static final String TASK = "steward_bench_noop";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Conductor's shortest long poll (see the class comment): the cycle a waiting task meets. */
    static final Duration POLL_CYCLE = Duration.ofMillis(100);
    private static final String OWNER = "bench@steward.invalid";

    private final String api;
    private final HttpClient http = BenchHttp.client();
    /** Workflow id to its completion, created by whichever side gets there first: the driver or the worker. */
    private final Map<String, CompletableFuture<Void>> done = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicReference<Exception> workerFailure = new AtomicReference<>();
    private volatile boolean stopping;

    /** Registers the task and the workflow (idempotent) and starts the worker threads. */
    ConductorPeer(String url, int threads) throws Exception {
        this.api = url + "/api";
        send(http, "POST", "/metadata/taskdefs", List.of(Map.of("name", TASK, "ownerEmail", OWNER, "retryCount", 0,
                "timeoutSeconds", 0, "timeoutPolicy", "ALERT_ONLY", "responseTimeoutSeconds", 60)));
        send(http, "PUT", "/metadata/workflow", List.of(Map.of("name", WORKFLOW, "version", 1, "schemaVersion", 2,
                "ownerEmail", OWNER, "timeoutSeconds", 0, "timeoutPolicy", "ALERT_ONLY",
                "tasks", List.of(Map.of("name", TASK, "taskReferenceName", "noop", "type", "SIMPLE")))));
        for (int i = 0; i < threads; i++) {
            String id = "steward-bench-" + i;
            workers.add(Thread.ofPlatform().name("conductor-worker-" + i).daemon().start(() -> work(id)));
        }
    }

    private void work(String workerId) {
        HttpClient own = BenchHttp.client();
        String poll = "/tasks/poll/batch/" + TASK + "?count=1&timeout=" + POLL_CYCLE.toMillis() + "&workerid=" + workerId;
        while (!stopping) {
            try {
                List<?> tasks = JSON.readValue(send(own, "GET", poll, null), List.class);
                for (Object o : tasks) {
                    Map<?, ?> task = (Map<?, ?>) o;
                    String workflowId = (String) task.get("workflowInstanceId");
                    send(own, "POST", "/tasks", Map.of("workflowInstanceId", workflowId, "taskId", task.get("taskId"),
                            "workerId", workerId, "status", "COMPLETED", "outputData", Map.of()));
                    completion(workflowId).complete(null);
                }
            } catch (Exception e) {
                if (!stopping) {
                    workerFailure.compareAndSet(null, e);
                    done.values().forEach(f -> f.completeExceptionally(e));
                }
                return;
            }
        }
    }

    private CompletableFuture<Void> completion(String workflowId) {
        return done.computeIfAbsent(workflowId, k -> new CompletableFuture<>());
    }

    /** Starts one workflow; its id. */
    private String start(HttpClient client) throws Exception {
        String id = send(client, "POST", "/workflow/" + WORKFLOW, Map.of()).strip();
        if (id.isEmpty() || id.startsWith("{")) {
            throw new IllegalStateException("start workflow: " + id);
        }
        return id;
    }

    /** Waits for the worker to finish {@code id}, then confirms it COMPLETED. */
    private void awaitCompleted(HttpClient client, String id) throws Exception {
        completion(id).get(60, TimeUnit.SECONDS);
        done.remove(id);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String status = (String) JSON.readValue(send(client, "GET", "/workflow/" + id + "?includeTasks=false", null), Map.class)
                    .get("status");
            if ("COMPLETED".equals(status)) {
                return;
            }
            if (!"RUNNING".equals(status) || System.nanoTime() > deadline) {
                throw new IllegalStateException("workflow " + id + " " + status);
            }
            Thread.sleep(1);
        }
    }

    /** {@code n} sequential round trips, start to seen COMPLETED, in milliseconds; each after a random pause. */
    List<Double> roundTrips(int n) throws Exception {
        checkWorkers();
        List<Double> ms = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Thread.sleep(Duration.ofNanos(ThreadLocalRandom.current().nextLong(POLL_CYCLE.toNanos())));
            long t0 = System.nanoTime();
            awaitCompleted(http, start(http));
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        return ms;
    }

    /**
     * Workflows per second: {@code n} started at once from {@code clients} threads with a connection each, timed
     * from the first start to the worker's last completion; every one then checked COMPLETED (not timed).
     */
    double burst(int n, int clients) throws Exception {
        checkWorkers();
        List<List<String>> ids = new ArrayList<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(clients);
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            List<String> mine = new ArrayList<>();
            ids.add(mine);
            int count = n / clients + (c < n % clients ? 1 : 0);
            Thread.ofPlatform().start(() -> {
                HttpClient own = BenchHttp.client();
                try {
                    for (int i = 0; i < count; i++) {
                        mine.add(start(own));
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    started.countDown();
                }
            });
        }
        started.await();
        if (failure.get() != null) {
            throw failure.get();
        }
        for (List<String> mine : ids) {
            for (String id : mine) {
                completion(id).get(5, TimeUnit.MINUTES);
            }
        }
        double perSecond = n / ((System.nanoTime() - t0) / 1e9);
        List<Thread> checkers = new ArrayList<>();
        for (List<String> mine : ids) {
            checkers.add(Thread.ofPlatform().start(() -> {
                HttpClient own = BenchHttp.client();
                try {
                    for (String id : mine) {
                        awaitCompleted(own, id);
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : checkers) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return perSecond;
    }

    private String send(HttpClient client, String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofMinutes(2));
        b = body == null ? b.GET()
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** Fails if a worker thread died (its error), so a broken worker is not mistaken for a slow one. */
    private void checkWorkers() throws Exception {
        if (workerFailure.get() != null) {
            throw workerFailure.get();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Thread t : workers) {
            t.join(Duration.ofSeconds(5));
        }
    }
}
