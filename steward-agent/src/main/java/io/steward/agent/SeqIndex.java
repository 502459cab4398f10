package io.steward.agent;

import java.util.Arrays;

/**
 * Where each unacknowledged event of a run ends in its outbox file: pairs of (seq, end offset), both increasing.
 * Two primitive arrays rather than a list of objects, because a full 256 MiB outbox holds millions of events.
 */
final class SeqIndex {
    private long[] seqs = new long[64];
    private long[] ends = new long[64];
    private int head;
    private int tail;

    void add(long seq, long end) {
        if (tail == seqs.length) {
            if (head > seqs.length / 2) {
                compact();
            } else {
                seqs = Arrays.copyOf(seqs, seqs.length * 2);
                ends = Arrays.copyOf(ends, ends.length * 2);
            }
        }
        seqs[tail] = seq;
        ends[tail] = end;
        tail++;
    }

    boolean isEmpty() {
        return head == tail;
    }

    /** Forgets every event up to {@code seq}; returns the end offset of the last one forgotten, or -1. */
    long removeUpTo(long seq) {
        long end = -1;
        while (head < tail && seqs[head] <= seq) {
            end = ends[head];
            head++;
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
        return end;
    }

    /** The end offset of the last event with a seq up to {@code seq}, or -1 when there is none. */
    long endOf(long seq) {
        int i = lastAtMost(seqs, seq);
        return i < 0 ? -1 : ends[i];
    }

    /**
     * The end offset of a chunk that starts at {@code from}: as many whole events as fit in {@code maxBytes}, and
     * at least one; {@code from} itself when no event starts there.
     */
    long chunkEnd(long from, int maxBytes) {
        int first = firstAbove(ends, from);
        if (first < 0) {
            return from;
        }
        int last = lastAtMost(ends, from + maxBytes);
        return last < first ? ends[first] : ends[last];
    }

    void clear() {
        head = 0;
        tail = 0;
    }

    private int lastAtMost(long[] values, long key) {
        int lo = head;
        int hi = tail - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= key) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private int firstAbove(long[] values, long key) {
        int lo = head;
        int hi = tail - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] > key) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found;
    }

    private void compact() {
        System.arraycopy(seqs, head, seqs, 0, tail - head);
        System.arraycopy(ends, head, ends, 0, tail - head);
        tail -= head;
        head = 0;
    }
}
