package io.steward.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunSnapshot;
import io.steward.store.Delivery;
import io.steward.store.Notification;
import io.steward.store.NotificationStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Sends notifications when runs end. Matching is done on the run's thread from the notifications held in memory;
 * each delivery then goes to a virtual thread of its own, so a webhook that hangs or fails never slows a run or
 * another delivery. A delivery is tried up to {@code attempts} times with a doubling backoff; every try is recorded
 * ({@link NotificationStore#recordDelivery}) for {@code steward notify show}. Deliveries still being retried when
 * the primary stops are not resumed. Nothing here interrupts a thread (H2 closes the whole database when one is
 * interrupted in its file I/O): waits between tries end early through {@link #closing}, and matching on a run's
 * thread uses the notifications held in memory only.
 *
 * <p>A script notification invokes its script with the payload as its args, as {@code notify:NAME}. Runs invoked so
 * are never notified about themselves, so a notification script that fails cannot start a loop.
 */
final class Notifier implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Notifier.class.getName());
    static final String INVOKER_PREFIX = "notify:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotificationStore notifications;
    private final Supplier<Coordinator> coordinator;
    private final int attempts;
    private final Duration backoff;
    private final HttpClient http;
    private final ExecutorService deliveries = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("steward-notify-", 0).factory());
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

    Notifier(NotificationStore notifications, Supplier<Coordinator> coordinator, int attempts, Duration backoff) {
        this.notifications = notifications;
        this.coordinator = coordinator;
        this.attempts = attempts;
        this.backoff = backoff;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Called by {@link RunEnds}: hands each matching notification's delivery to a thread of its own. */
    void ended(RunSnapshot run) {
        if (run.invoker() != null && run.invoker().startsWith(INVOKER_PREFIX)) {
            return;
        }
        java.util.List<Notification> all = notifications.listIfLoaded();
        if (all == null) {
            // Not in memory (a read failed): read them on a thread of its own, never on the run's.
            try {
                deliveries.execute(() -> match(notifications.list(), run));
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // the primary is stopping
            }
            return;
        }
        match(all, run);
    }

    private void match(java.util.List<Notification> all, RunSnapshot run) {
        for (Notification n : all) {
            if (n.matches(run.script(), run.state())) {
                Map<String, Object> payload = payload(n, run);
                try {
                    deliveries.execute(() -> deliver(n, run.id(), payload));
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    return;
                }
            }
        }
    }

    /** What a webhook receives as its JSON body and a notification script as its args. */
    static Map<String, Object> payload(Notification n, RunSnapshot run) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("notification", n.name());
        p.put("runId", run.id());
        p.put("script", run.script());
        p.put("version", (long) run.version());
        p.put("state", run.state().name());
        p.put("result", run.result());
        p.put("error", run.error() == null ? null : run.error().toMap());
        p.put("node", run.node());
        p.put("invoker", run.invoker());
        p.put("createdAt", run.createdAt() == null ? null : run.createdAt().toString());
        p.put("startedAt", run.startedAt() == null ? null : run.startedAt().toString());
        p.put("endedAt", run.endedAt() == null ? null : run.endedAt().toString());
        p.put("durationMs", run.duration().toMillis());
        p.put("link", "/api/v1/runs/" + run.id());
        return p;
    }

    private void deliver(Notification n, String runId, Map<String, Object> payload) {
        Duration wait = backoff;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            String failure;
            try {
                String detail = n.webhook() != null ? post(n.webhook(), payload) : invoke(n, payload);
                record(n, runId, attempt, Delivery.Outcome.DELIVERED, detail);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            boolean last = attempt == attempts;
            record(n, runId, attempt, last ? Delivery.Outcome.GAVE_UP : Delivery.Outcome.FAILED, failure);
            if (!last) {
                try {
                    if (closing.await(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                wait = wait.multipliedBy(2);
            }
        }
    }

    private String post(String url, Map<String, Object> payload) throws IOException, InterruptedException {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IOException("the payload is not JSON: " + e.getOriginalMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("User-Agent", "steward-notify")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return "HTTP " + response.statusCode();
    }

    private String invoke(Notification n, Map<String, Object> payload) throws InterruptedException {
        InvokeRequest request = new InvokeRequest(n.runScript(), 0, payload, null, INVOKER_PREFIX + n.name());
        return "started run " + coordinator.get().invoke(request).id();
    }

    private void record(Notification n, String runId, int attempt, Delivery.Outcome outcome, String detail) {
        try {
            notifications.recordDelivery(n.name(), runId, attempt, outcome, detail);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not record a delivery of " + n.name() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closing.countDown();
        deliveries.shutdown();
        // Aborts requests in flight (they fail with an IOException) without interrupting their threads.
        http.shutdownNow();
    }
}
