package io.steward.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event of a run's timeline, from a page or the live stream.
 *
 * @param seq  the run's sequence number (from 1, no holes); resume after it
 * @param kind {@code state, status, event, progress, log, output, process, thread, shared} (or {@code gap})
 * @param time epoch milliseconds, 0 when the server did not say
 * @param data the event's JSON object
 */
public record Event(long seq, String kind, long time, Map<String, Object> data) {

    /** Whether this is the run's last event: a {@code state} event naming a final state. */
    public boolean isFinalState() {
        return "state".equals(kind) && data != null && RunStates.isFinal(String.valueOf(data.get("state")));
    }

    /** An event from its JSON form {@code {seq, kind, time, data}}. */
    static Event of(Map<String, Object> json) {
        return new Event(number(json.get("seq")), String.valueOf(json.get("kind")), number(json.get("time")),
                dataOf(json.get("data")));
    }

    /** An event's data as a map: an object as it is, anything else (which the API never sends) under "value". */
    @SuppressWarnings("unchecked")
    static Map<String, Object> dataOf(Object json) {
        if (json instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        return json == null ? Map.of() : Map.of("value", json);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    /** The JSON form of docs/api.md: {@code {seq, kind, time, data}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("seq", seq);
        map.put("kind", kind);
        map.put("time", time);
        map.put("data", data);
        return map;
    }
}
