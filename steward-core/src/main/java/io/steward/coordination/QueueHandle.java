package io.steward.coordination;

/** A named queue in a script: {@code queue('builds').put(msg)}, {@code .take(timeoutMs)} (null when none came), {@code .size()}. */
public final class QueueHandle {
    private final Party party;
    private final String name;

    public QueueHandle(Party party, String name) {
        this.party = party;
        this.name = CoordinationNames.check("queue", name);
    }

    public String getName() {
        return name;
    }

    public void put(Object message) {
        party.coordination().queues().put(name, message);
    }

    /** The next message, waiting up to {@code timeoutMs} (null: as long as it takes); null when none came in time. */
    public Object take(Number timeoutMs) throws InterruptedException {
        Journal.StoredMessage m = party.coordination().queues().take(name, party.owner(),
                Party.timeout("queue '" + name + "'", timeoutMs));
        return m == null ? null : m.value();
    }

    /** The next message if one is waiting, else null. */
    public Object poll() throws InterruptedException {
        return take(0);
    }

    public int size() {
        return party.coordination().queues().depth(name);
    }

    @Override
    public String toString() {
        return "queue(" + name + ")";
    }
}
