package io.steward.process;

/** Which stream of a local process a line of output came from. */
public enum StdStream {
    STDOUT, STDERR;

    /** The lower-case name used in events and JSON. */
    public String key() {
        return this == STDOUT ? "stdout" : "stderr";
    }
}
