package io.steward.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The embedded store's write-ahead log: an append-only file of the batches the event writer is about to commit to
 * H2, each written whole before the invoker waiting on it is answered, so that an answer never waits for H2's
 * commit (which rewrites every B-tree page the batch touched) and yet names nothing a crash could take back: at the
 * next start {@link Store#open} commits the batches H2 had not committed yet.
 *
 * <p>A record is {@code [int length][int crc32c][long batch][payload]}. A record cut short by a crash, or whose
 * checksum does not match, ends the log: nobody was answered for it, since the answer comes only after its write
 * returns. The write is not forced to the disk, exactly as H2 is run here ({@code WRITE_DELAY=0}, no sync per
 * commit): both survive the process dying, neither the machine losing power.
 *
 * <p>One thread appends (the event writer's); the file is emptied whenever everything in it is committed and it has
 * grown past {@link #RESET_AT}.
 */
final class WriteAheadLog implements AutoCloseable {
    /** Past this size, and with every record committed, the file starts again from empty. */
    static final long RESET_AT = 4L << 20;
    private static final int HEADER = 4 + 4 + 8;

    /** A batch read back from the log. */
    record Record(long batch, byte[] payload) {
    }

    private final Path file;
    private final FileChannel channel;
    /** Where the next record goes: kept here rather than asked of the file system at every append. */
    private long end;

    private WriteAheadLog(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.end = channel.size();
    }

    /**
     * The log of the embedded H2 file a JDBC URL names ({@code jdbc:h2:file:/data/steward} logs to
     * {@code /data/steward.wal}), or null for any other database: PostgreSQL logs ahead itself, and an in-memory
     * database has nothing to recover.
     */
    static WriteAheadLog of(String jdbcUrl) {
        String prefix = "jdbc:h2:file:";
        if (!jdbcUrl.startsWith(prefix)) {
            return null;
        }
        String path = jdbcUrl.substring(prefix.length());
        int options = path.indexOf(';');
        return open(Path.of((options < 0 ? path : path.substring(0, options)) + ".wal"));
    }

    static WriteAheadLog open(Path file) {
        try {
            return new WriteAheadLog(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the write-ahead log " + file + ": " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    /** Every whole record, in the order written; stops at the first torn or damaged one. */
    List<Record> records() throws IOException {
        List<Record> out = new ArrayList<>();
        long size = channel.size();
        long at = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (at + HEADER <= size) {
            header.clear();
            readFully(header, at);
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            long batch = header.getLong();
            if (length < 0 || at + HEADER + length > size) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(payload, at + HEADER);
            if (crc != checksum(batch, payload.array())) {
                break;
            }
            out.add(new Record(batch, payload.array()));
            at += HEADER + length;
        }
        return out;
    }

    /** Appends one batch at the end of the file; returns once the operating system holds all of it. */
    void append(long batch, byte[] payload) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + payload.length);
        buffer.putInt(payload.length).putInt(checksum(batch, payload)).putLong(batch).put(payload).flip();
        long at = end;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
        end = at;
    }

    long size() {
        return end;
    }

    /** Empties the log: call only when every record in it is committed. */
    void reset() throws IOException {
        channel.truncate(0);
        end = 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void readFully(ByteBuffer into, long at) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new IOException("the write-ahead log " + file + " ended while being read");
            }
            at += n;
        }
    }

    private static int checksum(long batch, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, batch));
        crc.update(payload);
        return (int) crc.getValue();
    }
}
