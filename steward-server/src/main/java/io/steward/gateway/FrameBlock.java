package io.steward.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The encoded SSE frames of one aligned block of a run's timeline: block {@code index} holds the events with
 * {@code index * SIZE < seq <= (index + 1) * SIZE}. Sequence numbers count from 1 with no holes, so every follower,
 * whatever event it resumes after, lands in a block that other followers share; blocks are immutable, and a block
 * of a live run grows by being replaced with a longer copy.
 *
 * @param upTo   the highest sequence number in the block (all durable events of the block up to it are here)
 * @param sealed the block holds every event it ever will: it is never read again
 */
record FrameBlock(long index, long upTo, boolean sealed, byte[] bytes, long[] seqs, int[] offsets) {
    /** Events per block: also the most a follower is sent between two flushes. */
    static final int SIZE = 1000;

    /** Encoded frames, not yet a block. */
    record Encoded(byte[] bytes, long[] seqs, int[] offsets) {
    }

    static long indexOf(long afterSeq) {
        return afterSeq / SIZE;
    }

    static FrameBlock empty(long index) {
        return new FrameBlock(index, index * SIZE, false, new byte[0], new long[0], new int[0]);
    }

    /** The last sequence number that belongs to this block. */
    long end() {
        return (index + 1) * SIZE;
    }

    /** This block with {@code more} appended; {@code sealed} when that completes it. */
    FrameBlock grow(Encoded more, boolean sealed) {
        if (more.seqs().length == 0) {
            return new FrameBlock(index, upTo, sealed, bytes, seqs, offsets);
        }
        byte[] b = Arrays.copyOf(bytes, bytes.length + more.bytes().length);
        System.arraycopy(more.bytes(), 0, b, bytes.length, more.bytes().length);
        long[] s = Arrays.copyOf(seqs, seqs.length + more.seqs().length);
        System.arraycopy(more.seqs(), 0, s, seqs.length, more.seqs().length);
        int[] o = Arrays.copyOf(offsets, offsets.length + more.offsets().length);
        for (int i = 0; i < more.offsets().length; i++) {
            o[offsets.length + i] = bytes.length + more.offsets()[i];
        }
        return new FrameBlock(index, s[s.length - 1], sealed, b, s, o);
    }

    /** The frames of the events after {@code afterSeq}: a view, nothing copied. */
    Slice after(long afterSeq) {
        int i = Arrays.binarySearch(seqs, afterSeq + 1);
        if (i < 0) {
            i = -i - 1;
        }
        if (i >= seqs.length) {
            return Slice.NONE;
        }
        return new Slice(bytes, offsets[i], bytes.length - offsets[i], seqs[seqs.length - 1]);
    }

    /** What the cache counts against its budget: the frames and their index. */
    long weight() {
        return bytes.length + 12L * seqs.length + 64;
    }

    /** Frames to send: {@code length} bytes of {@code bytes} from {@code offset}; {@code lastSeq} is the last one's id. */
    record Slice(byte[] bytes, int offset, int length, long lastSeq) {
        static final Slice NONE = new Slice(new byte[0], 0, 0, -1);

        boolean isEmpty() {
            return length == 0;
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(bytes, offset, length);
        }
    }

    @Override
    public String toString() {
        return "FrameBlock[" + index + ", upTo=" + upTo + ", sealed=" + sealed + ", " + bytes.length + " bytes]";
    }
}
