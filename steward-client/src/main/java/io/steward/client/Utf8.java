package io.steward.client;

/** Finds where a chunk of UTF-8 stops being whole, so that output fetched by byte offsets never splits a character. */
final class Utf8 {
    private Utf8() {
    }

    /**
     * The length of the longest prefix of {@code bytes} that does not end inside a multi-byte character: the whole
     * array unless its last one to three bytes start a character they do not finish. Invalid bytes count as whole,
     * so a caller always makes progress.
     */
    static int completePrefix(byte[] bytes) {
        int end = bytes.length;
        int start = end - 1;
        while (start >= 0 && start > end - 4 && (bytes[start] & 0xC0) == 0x80) {
            start--;
        }
        if (start < 0) {
            return end;
        }
        int lead = bytes[start] & 0xFF;
        int length = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 1;
        return end - start < length ? start : end;
    }
}
