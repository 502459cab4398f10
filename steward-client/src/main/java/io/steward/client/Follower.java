package io.steward.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Follows one run's Server-Sent Events to its final {@code state} event, across dropped connections.
 *
 * <p>After a drop it asks again with {@code Last-Event-ID} (and {@code after}, the same number, so the server
 * resumes there whichever it reads) and skips any event it already delivered, so the consumer sees every event once
 * and in order. A stream that the server closes cleanly without the final event is not trusted either way: the run
 * may have ended before this follower (re)connected, so the run is polled, and only a run still going is followed
 * again. Failures in a row without a new event are bounded by {@link Reconnect}; HTTP errors (an unknown run, a
 * revoked token) are not retried.
 */
final class Follower {
    private final StewardClient client;
    private final Transport transport;
    private final Reconnect policy;

    Follower(StewardClient client, Transport transport, Reconnect policy) {
        this.client = client;
        this.transport = transport;
        this.policy = policy;
    }

    Map<String, Object> follow(String runId, long afterSeq, Consumer<? super Event> consumer) {
        long last = afterSeq;
        int failures = 0;
        while (true) {
            StewardApiException failure;
            try (InputStream body = open(runId, last)) {
                SseReader reader = new SseReader(body);
                for (SseReader.Message m; (m = reader.next()) != null; ) {
                    Event e = event(m);
                    if (e.seq() > 0 && e.seq() <= last) {
                        continue;
                    }
                    consumer.accept(e);
                    if (e.seq() > 0) {
                        last = e.seq();
                        failures = 0;
                    }
                    if (e.isFinalState()) {
                        return client.run(runId);
                    }
                }
                Map<String, Object> run = client.run(runId);
                if (RunStates.isFinal(String.valueOf(run.get("state")))) {
                    return run;
                }
                failure = new StewardApiException(0, StewardApiException.IO_ERROR, "the event stream of run " + runId
                        + " from " + transport.base() + " ended while the run was still " + run.get("state"), (Object) null);
            } catch (StewardApiException e) {
                if (!e.noAnswer()) {
                    throw e;
                }
                failure = e;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw transport.interrupted();
                }
                failure = transport.noAnswer(e, Transport.REQUEST_TIMEOUT);
            }
            if (++failures > policy.attempts()) {
                throw failure;
            }
            try {
                Thread.sleep(policy.delay(failures));
            } catch (InterruptedException e) {
                throw transport.interrupted();
            }
        }
    }

    private InputStream open(String runId, long after) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/event-stream");
        if (after > 0) {
            headers.put("Last-Event-ID", Long.toString(after));
        }
        return transport.stream("/api/v1/runs/" + Transport.segment(runId) + "/events", Map.of("after", after), headers);
    }

    /**
     * docs/api.md says {@code data:} carries "the event's JSON". Both readings are accepted: the whole event
     * ({@code {seq, kind, time, data}}, as in a page of events) or just its data, with {@code id:} and {@code event:}
     * giving the sequence number and the kind.
     */
    @SuppressWarnings("unchecked")
    private Event event(SseReader.Message m) {
        Object json = transport.parse(200, m.data().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long id = m.id() == null ? 0 : parseSeq(m.id());
        if (json instanceof Map<?, ?> map && map.containsKey("seq") && map.containsKey("kind") && map.containsKey("data")) {
            Event whole = Event.of((Map<String, Object>) map);
            return id > 0 ? new Event(id, whole.kind(), whole.time(), whole.data()) : whole;
        }
        return new Event(id, m.event(), 0, Event.dataOf(json));
    }

    private long parseSeq(String id) {
        try {
            return Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            throw new StewardApiException(200, StewardApiException.BAD_RESPONSE,
                    "the event stream from " + transport.base() + " sent the id '" + id + "', which is not a sequence number",
                    (Object) null);
        }
    }
}
