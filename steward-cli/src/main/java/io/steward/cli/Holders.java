package io.steward.cli;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Holders and waiters of locks and pools, as the list commands print them. */
final class Holders {
    private Holders() {
    }

    static String describe(List<Map<String, Object>> holders) {
        if (holders == null || holders.isEmpty()) {
            return "-";
        }
        return holders.stream().map(Holders::one).collect(Collectors.joining(", "));
    }

    static String one(Map<String, Object> h) {
        if (h == null) {
            return "-";
        }
        Object run = h.get("run");
        return run == null ? String.valueOf(h.get("thread")) : run + (h.get("node") == null ? "" : "@" + h.get("node"));
    }
}
