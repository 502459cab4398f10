package io.steward.process;

/** A local process could not be started: the program is missing, not executable, or the directory is wrong. */
public final class ProcessLaunchException extends RuntimeException {
    public ProcessLaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
