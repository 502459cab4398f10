package io.steward.coordinator;

/** A value a script tried to publish is larger than the node's event size limit: nothing was published. */
public final class EventTooLargeException extends IllegalArgumentException {
    private final long size;
    private final int limit;

    EventTooLargeException(String what, long size, int limit) {
        super(what + " is " + size + " bytes as JSON; the limit for one event is " + limit + " bytes (steward server "
                + "--max-event-bytes): publish a summary, or put the bulk in a file or a local process's output");
        this.size = size;
        this.limit = limit;
    }

    /** The value's size as JSON, in bytes. */
    public long size() {
        return size;
    }

    public int limit() {
        return limit;
    }
}
