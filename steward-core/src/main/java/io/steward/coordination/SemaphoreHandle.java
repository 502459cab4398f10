package io.steward.coordination;

import java.util.concurrent.Callable;

/**
 * A mutex ({@code lock(name, timeoutMs) { … }}) or counting semaphore ({@code semaphore(name, permits)}) in a
 * script: {@link #acquire} runs a block while holding one permit and returns the block's value; the permit is given
 * back when the block ends, however it ends, and when the run ends.
 */
public final class SemaphoreHandle {
    private final Party party;
    private final String name;
    private final int permits;

    public SemaphoreHandle(Party party, String name, int permits) {
        this.party = party;
        this.name = CoordinationNames.check(permits == 1 ? "lock" : "semaphore", name);
        this.permits = permits;
    }

    public String getName() {
        return name;
    }

    public int getPermits() {
        return permits;
    }

    /**
     * Runs {@code body} holding a permit, waiting up to {@code timeoutMs} for one (null: as long as it takes).
     *
     * @throws CoordinationTimeoutException when no permit came in time, naming who holds them
     */
    public Object acquire(Number timeoutMs, Callable<Object> body) throws Exception {
        String what = (permits == 1 ? "lock '" : "semaphore '") + name + "'";
        long timeout = Party.timeout(what, timeoutMs);
        Semaphores.Hold hold = party.coordination().semaphores().acquire(name, permits, party.owner(), timeout);
        if (hold == null) {
            throw new CoordinationTimeoutException(what + " not acquired within " + timeout + " ms" + holders());
        }
        try {
            return body.call();
        } finally {
            party.coordination().semaphores().release(hold);
        }
    }

    public Object acquire(Callable<Object> body) throws Exception {
        return acquire(null, body);
    }

    private String holders() {
        for (var m : party.coordination().semaphores().view()) {
            if (name.equals(m.get("name"))) {
                return "; held by " + m.get("holders");
            }
        }
        return "";
    }

    @Override
    public String toString() {
        return (permits == 1 ? "lock(" : "semaphore(") + name + ")";
    }
}
