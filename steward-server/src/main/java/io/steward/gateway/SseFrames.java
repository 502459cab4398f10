package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.coordinator.RunEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes run events as Server-Sent Events frames ({@code id:} the sequence number, {@code event:} the kind,
 * {@code data:} the event's JSON), the one place that format is written. The JSON never holds a raw newline
 * (Jackson escapes them inside strings), so {@code data:} is always one line.
 */
final class SseFrames {
    private final ObjectMapper mapper;

    SseFrames(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The frames of {@code events}, in order, into one block of bytes; {@code offsets[i]} is where event i starts. */
    FrameBlock.Encoded encode(List<RunEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 128);
        long[] seqs = new long[events.size()];
        int[] offsets = new int[events.size()];
        try {
            for (int i = 0; i < events.size(); i++) {
                RunEvent e = events.get(i);
                seqs[i] = e.seq();
                offsets[i] = out.size();
                out.write(("id: " + e.seq() + "\nevent: " + e.kind() + "\ndata: ").getBytes(StandardCharsets.UTF_8));
                mapper.writeValue(out, EventRoutes.view(e));
                out.write('\n');
                out.write('\n');
            }
        } catch (IOException e) {
            // Only a value Jackson cannot write lands here; event data are plain JSON values.
            throw new UncheckedIOException(e);
        }
        return new FrameBlock.Encoded(out.toByteArray(), seqs, offsets);
    }
}
