package io.steward.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseReaderTest {

    private static List<SseReader.Message> read(String wire) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
        List<SseReader.Message> messages = new ArrayList<>();
        for (SseReader.Message m; (m = reader.next()) != null; ) {
            messages.add(m);
        }
        return messages;
    }

    @Test
    void fieldsCommentsAndEveryLineEnd() throws IOException {
        assertThat(read(": keep-alive\n\nid: 1\nevent: log\ndata: {\"a\":1}\n\r\nid:2\r\nevent:state\r\ndata:{}\r\n\r\n"
                + "id: 3\rdata: x\r\r"))
                .containsExactly(new SseReader.Message("1", "log", "{\"a\":1}"),
                        new SseReader.Message("2", "state", "{}"),
                        new SseReader.Message("3", "message", "x"));
    }

    @Test
    void severalDataLinesJoinWithNewlinesAndOnlyOneSpaceIsEaten() throws IOException {
        assertThat(read("data: first\ndata:  second\ndata\nretry: 10\nunknown: y\n\n"))
                .containsExactly(new SseReader.Message(null, "message", "first\n second\n"));
    }

    @Test
    void aMessageCutOffByTheEndOfTheStreamIsDropped() throws IOException {
        assertThat(read("id: 1\ndata: whole\n\nid: 2\ndata: half")).containsExactly(new SseReader.Message("1", "message", "whole"));
        assertThat(read("id: 7\n\n")).isEmpty();
    }
}
