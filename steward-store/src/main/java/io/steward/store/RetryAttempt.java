package io.steward.store;

import java.util.LinkedHashMap;
import java.util.Map;

/** One attempt of a retry chain: run {@code runId} is attempt {@code attempt} of {@code attempts} of {@code of}. */
public record RetryAttempt(String runId, String of, int attempt, int attempts) {
    /** The run JSON's {@code retry} member: {@code of, attempt, attempts}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("of", of);
        map.put("attempt", (long) attempt);
        map.put("attempts", (long) attempts);
        return map;
    }
}
