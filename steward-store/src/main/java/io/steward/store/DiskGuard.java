package io.steward.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;

/**
 * Keeps an embedded H2 database off a full disk. H2 cannot be trusted after a write fails for want of space: it
 * closes its store, and on reopening the file it can miss commits it had confirmed (the full-disk drill lost an
 * accepted run that way). So the store keeps a reserve file beside the database, and checks the disk's free space
 * before every commit of the event writer: when less than the reserve is free, it deletes the reserve, so that the
 * writes already under way (the events of live runs) still find room, and refuses new runs until twice the reserve is
 * free again, when it takes the reserve back. A disk filled to the last byte within one commit can still fail H2;
 * PostgreSQL keeps its own data and is not guarded here.
 */
final class DiskGuard {
    static final String RESERVE_FILE = "steward.reserve";
    /** 16 MiB unless {@code -Dsteward.store.reserveMiB} says otherwise (0 turns the guard off). */
    static final long DEFAULT_RESERVE = Long.getLong("steward.store.reserveMiB", 16) << 20;
    private static final long RECHECK_NANOS = 20_000_000;
    private static final System.Logger LOG = System.getLogger(DiskGuard.class.getName());

    static final DiskGuard NONE = new DiskGuard(null, null, 0);

    private final Path reserveFile;
    private final FileStore disk;
    private final long reserve;
    private boolean low;
    private long lastFree = Long.MAX_VALUE;
    private long checkedAt = System.nanoTime() - RECHECK_NANOS;

    private DiskGuard(Path reserveFile, FileStore disk, long reserve) {
        this.reserveFile = reserveFile;
        this.disk = disk;
        this.reserve = reserve;
    }

    /** The guard of an H2 file URL's folder; none for other databases, or when the reserve cannot be made. */
    static DiskGuard of(String jdbcUrl, long reserve) {
        if (reserve <= 0 || !jdbcUrl.startsWith("jdbc:h2:file:")) {
            return NONE;
        }
        String path = jdbcUrl.substring("jdbc:h2:file:".length());
        int semicolon = path.indexOf(';');
        Path dir = Path.of(semicolon < 0 ? path : path.substring(0, semicolon)).toAbsolutePath().getParent();
        try {
            DiskGuard guard = new DiskGuard(dir.resolve(RESERVE_FILE), Files.getFileStore(dir), reserve);
            synchronized (guard) {
                guard.refresh(true);
            }
            return guard;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "store: no disk reserve in " + dir + " (" + e.getMessage() + ")");
            return NONE;
        }
    }

    /**
     * Refuses a new run while the disk is low, before anything of it is written.
     *
     * @throws StoreException naming the free space and the fix
     */
    synchronized void checkRoomForNewRun() {
        if (disk != null && refresh(false)) {
            throw new StoreException("the data disk is nearly full (" + (lastFree >> 20) + " MiB free in "
                    + reserveFile.getParent() + "); free some space there. Nothing was changed",
                    new SQLException("disk full", "53100"));
        }
    }

    /** Before a commit: gives the reserve back if the disk is nearly full, so that the commit finds room. */
    synchronized void beforeWrite() {
        if (disk != null) {
            refresh(true);
        }
    }

    synchronized boolean low() {
        return low;
    }

    /** Re-reads the free space (at most every 20 ms unless {@code now}) and moves between normal and low. */
    private boolean refresh(boolean now) {
        long at = System.nanoTime();
        if (!now && at - checkedAt < RECHECK_NANOS) {
            return low;
        }
        checkedAt = at;
        try {
            lastFree = disk.getUsableSpace();
            if (!low && lastFree < reserve) {
                low = true;
                Files.deleteIfExists(reserveFile);
                LOG.log(System.Logger.Level.WARNING, "store: the data disk is nearly full (" + (lastFree >> 20)
                        + " MiB free): new runs are refused, the reserve is handed to the runs under way");
            } else if (low && lastFree >= 2 * reserve) {
                low = false;
                LOG.log(System.Logger.Level.INFO, "store: the data disk has room again; new runs are accepted");
            }
            if (!low && !Files.exists(reserveFile)) {
                fill(reserveFile, reserve);
            }
        } catch (IOException e) {
            // The reserve could not be made or read: carry on without it, as before it existed.
            LOG.log(System.Logger.Level.WARNING, "store: the disk reserve failed: " + e.getMessage());
        }
        return low;
    }

    /** Writes real zeros, not a sparse file, so the space is taken now. */
    private static void fill(Path file, long bytes) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".new");
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long left = bytes; left > 0; left -= zeros.capacity()) {
                zeros.clear().limit((int) Math.min(left, zeros.capacity()));
                while (zeros.hasRemaining()) {
                    out.write(zeros);
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
