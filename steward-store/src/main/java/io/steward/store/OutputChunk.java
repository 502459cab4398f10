package io.steward.store;

/**
 * A piece of a run's process output as text: lines joined with {@code "\n"}, offsets in bytes of UTF-8.
 *
 * @param text       the output from {@code offset}, at most the bytes asked for
 * @param offset     where {@code text} starts
 * @param nextOffset where the next read continues: {@code offset} plus the UTF-8 length of {@code text}
 * @param more       {@code true} when more output exists past {@code nextOffset}, or may still come because the run
 *                   has not ended
 */
public record OutputChunk(String text, long offset, long nextOffset, boolean more) {
}
