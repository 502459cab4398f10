package io.steward.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads Server-Sent Events as far as Steward's streams need: {@code id:}, {@code event:} and {@code data:} lines
 * (several {@code data:} lines join with newlines), comments ({@code :ping}) skipped, a blank line ends a message.
 * {@code retry:} is ignored because the follower has its own back-off. A message that the end of the stream cuts
 * off before its blank line is dropped, as the SSE spec says: that is exactly what a dropped connection looks like,
 * and the resumed stream sends it again.
 */
final class SseReader {
    record Message(String id, String event, String data) {
    }

    private final BufferedReader in;

    SseReader(InputStream in) {
        // readLine ends lines at \n, \r\n and \r alike, which are SSE's three line ends
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next complete message, or null when the stream has ended. */
    Message next() throws IOException {
        String id = null;
        String event = null;
        StringBuilder data = null;
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Message(id, event == null ? "message" : event, data.toString());
                }
                continue;
            }
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                }
            }
        }
        return null;
    }
}
