package io.steward.coordination;

/**
 * An event semaphore in a script: {@code event('ready').post()}, {@code .reset()}, {@code .pulse()},
 * {@code .wait(timeoutMs)} (true when posted in time, false when not; {@code await} in Java, where {@code wait} is
 * Object's), {@code .posted}.
 */
public final class EventHandle {
    private final Party party;
    private final String name;

    public EventHandle(Party party, String name) {
        this.party = party;
        this.name = CoordinationNames.check("event", name);
    }

    public String getName() {
        return name;
    }

    public void post() {
        party.coordination().events().post(name);
    }

    public void reset() {
        party.coordination().events().reset(name);
    }

    public int pulse() {
        return party.coordination().events().pulse(name);
    }

    public boolean isPosted() {
        return party.coordination().events().isPosted(name);
    }

    /** Waits up to {@code timeoutMs} (null: as long as it takes) for the event to be posted. */
    public boolean await(Number timeoutMs) throws InterruptedException {
        return party.coordination().events().await(name, party.owner(), Party.timeout("event '" + name + "'", timeoutMs));
    }

    @Override
    public String toString() {
        return "event(" + name + ")";
    }
}
