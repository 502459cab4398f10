package io.steward.process;

/**
 * Hears what a local process does. Calls come from the registry's reader threads, so an
 * implementation must be quick and must not block: a slow listener delays the reading of the
 * process's output and, once the pipe fills, the process itself. What an implementation throws is
 * logged and goes no further: the process runs on, its output is still read and its result still comes.
 */
public interface ProcessListener {

    ProcessListener NONE = new ProcessListener() { };

    default void started(ProcessInfo process) { }

    /** One line of output, without its line terminator. Very long lines arrive in pieces. */
    default void output(ProcessInfo process, StdStream stream, String line) { }

    default void exited(ProcessInfo process, ExecResult result) { }
}
