package io.steward.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Takes one output stream of a process to its end — reading it ({@link #readFrom}) or given what a caller read
 * ({@link #accept}) — : every byte goes into a {@link CappedBuffer},
 * every line to a consumer. Lines longer than {@link #MAX_LINE} bytes are cut into pieces so that
 * a process writing megabytes without a newline cannot exhaust memory.
 *
 * <p>A line ends at {@code '\n'}; one {@code '\r'} right before it (or before the end of the stream)
 * belongs to the terminator and is dropped. A full piece is only sent once a byte arrives that cannot
 * join it: a line of exactly {@code MAX_LINE} bytes, with or without {@code '\r'}, is one piece and not
 * a piece followed by an empty line, and a {@code '\r'} inside a long line is never taken for part of
 * a terminator. So the pieces are exactly what splitting the whole output at {@code '\n'}, dropping
 * the {@code '\r'} and cutting each line into {@code MAX_LINE}-byte pieces would give, wherever the
 * reads happen to end.
 *
 * <p>A consumer that throws does not stop the pump: were it to stop, the pipe would fill and block the
 * process, or close and break it. The line is lost to that consumer, the failure is logged once, and
 * reading goes on.
 *
 * <p>{@link #stop()} ends the pump early, for a stream that a background grandchild keeps open after
 * the process exited: a read blocked on such a pipe cannot be woken, so stop sends the unfinished line
 * and makes sure nothing read later reaches the capture or the consumer. A lock held while a chunk is
 * handled makes the two exclusive (a {@code ReentrantLock}, so that a virtual thread does not pin its
 * carrier while the consumer runs).
 */
final class OutputPump {
    static final int MAX_LINE = 64 * 1024;
    private static final System.Logger LOG = System.getLogger(OutputPump.class.getName());

    private final CappedBuffer capture;
    private final Consumer<String> lines;
    private final int maxLine;
    /** The line so far: at most {@code maxLine} bytes, plus one {@code '\r'} that may start the terminator. */
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean consumerFailed;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean stopped;

    OutputPump(CappedBuffer capture, Consumer<String> lines) {
        this(capture, lines, MAX_LINE);
    }

    /** With a smaller {@code maxLine}, for tests that need to reach piece boundaries. */
    OutputPump(CappedBuffer capture, Consumer<String> lines, int maxLine) {
        if (maxLine < 1) {
            throw new IllegalArgumentException("maxLine must be positive, was " + maxLine);
        }
        this.capture = capture;
        this.lines = lines;
        this.maxLine = maxLine;
    }

    /** Reads {@code in} to its end (or until the pump is stopped), then closes it and stops the pump. */
    void readFrom(InputStream in) {
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (!accept(chunk, n)) {
                    return;
                }
            }
        } catch (IOException closed) {
            // The stream is closed under us when the process tree is killed: what was read stays.
        } finally {
            stop();
        }
    }

    /**
     * Takes a chunk read from the stream, for a caller that reads it itself ({@link PosixSpawner}'s one thread
     * per child). Returns false, dropping the chunk, once the pump has stopped.
     */
    boolean accept(byte[] chunk, int n) {
        lock.lock();
        try {
            if (stopped) {
                return false;
            }
            capture.write(chunk, 0, n);
            split(chunk, n);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends this pump's output: sends the unfinished line, if any, and once this returns neither the
     * capture nor the consumer hears from it again. Does not wait for a blocked read to return.
     */
    void stop() {
        lock.lock();
        try {
            if (!stopped) {
                stopped = true;
                if (lineLength > 0) {
                    emit();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void split(byte[] chunk, int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (chunk[i] == '\n') {
                append(chunk, start, i - start);
                emit();
                start = i + 1;
            }
        }
        append(chunk, start, n - start);
    }

    /** Adds bytes that hold no {@code '\n'}, sending full pieces as later bytes push them out. */
    private void append(byte[] b, int off, int len) {
        while (len > 0) {
            if (lineLength >= maxLine) {
                if (lineLength == maxLine && b[off] == '\r') {
                    // Perhaps the start of "\r\n" after a full piece: hold it until the next byte tells.
                    grow(maxLine + 1);
                    line[lineLength++] = '\r';
                    off++;
                    len--;
                    continue;
                }
                sendPiece();
                continue;
            }
            int take = Math.min(maxLine - lineLength, len);
            grow(lineLength + take);
            System.arraycopy(b, off, line, lineLength, take);
            lineLength += take;
            off += take;
            len -= take;
        }
    }

    private void grow(int size) {
        if (size > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLine + 1, Math.max(line.length * 2, size)));
        }
    }

    /** Sends the first {@code maxLine} bytes as a piece of a longer line, keeping a held {@code '\r'}. */
    private void sendPiece() {
        send(new String(line, 0, maxLine, StandardCharsets.UTF_8));
        lineLength -= maxLine;
        if (lineLength > 0) {
            line[0] = line[maxLine];
        }
    }

    /** Sends the line at its end, without the {@code '\r'} of a {@code "\r\n"} terminator. */
    private void emit() {
        int end = lineLength;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        String text = new String(line, 0, end, StandardCharsets.UTF_8);
        lineLength = 0;
        send(text);
    }

    private void send(String text) {
        try {
            lines.accept(text);
        } catch (RuntimeException e) {
            if (!consumerFailed) {
                consumerFailed = true;
                LOG.log(System.Logger.Level.WARNING, "the output listener failed on " + Thread.currentThread().getName()
                        + "; its later failures on this stream are not logged", e);
            }
        }
    }
}
