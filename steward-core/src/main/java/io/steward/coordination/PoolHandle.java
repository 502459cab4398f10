package io.steward.coordination;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A resource pool in a script: {@code pool('phones').acquire(timeoutMs, priority) { entry -> … }} runs the block with
 * the name of an entry it holds alone and returns the block's value; the entry goes back when the block ends and
 * when the run ends. Higher priorities are served first. {@code valueOf(entry)} is the entry's stored value.
 */
public final class PoolHandle {
    private final Party party;
    private final String name;

    public PoolHandle(Party party, String name) {
        this.party = party;
        this.name = CoordinationNames.check("pool", name);
    }

    public String getName() {
        return name;
    }

    public Object acquire(Number timeoutMs, Number priority, Function<Object, Object> body) {
        long timeout = Party.timeout("pool '" + name + "'", timeoutMs);
        Pools.PoolHold hold;
        try {
            hold = party.coordination().pools().acquire(name, party.owner(), timeout,
                    priority == null ? 0 : priority.intValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.steward.engine.ScriptStoppedError();
        }
        if (hold == null) {
            throw new CoordinationTimeoutException("no entry of pool '" + name + "' came free within " + timeout + " ms");
        }
        try {
            return body.apply(hold.entry());
        } finally {
            party.coordination().pools().release(hold);
        }
    }

    public Object acquire(Number timeoutMs, Function<Object, Object> body) {
        return acquire(timeoutMs, 0, body);
    }

    /** The entries: name, value, holder (or null). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> entries() {
        Map<String, Object> view = party.coordination().pools().view(name);
        return view == null ? List.of() : (List<Map<String, Object>>) view.get("entries");
    }

    public Object valueOf(String entry) {
        for (Map<String, Object> e : entries()) {
            if (entry.equals(e.get("entry"))) {
                return e.get("value");
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "pool(" + name + ")";
    }
}
