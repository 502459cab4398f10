package io.steward.client;

/**
 * A piece of a run's process output.
 *
 * @param text       the text, never ending inside a UTF-8 character (see {@link StewardClient#output})
 * @param nextOffset the byte offset to ask for next
 * @param more       whether the run may still write more
 */
public record Output(String text, long nextOffset, boolean more) {
}
