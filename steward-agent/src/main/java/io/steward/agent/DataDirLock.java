package io.steward.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code <data>/agent.lock}: one agent per data folder. A new agent takes over the outbox its folder holds and ends the
 * runs it finds unfinished there (their process is gone), so a second agent on a folder still in use would end the
 * live runs of the first. The operating system's file lock dies with its process, kill -9 included, so a crash never
 * leaves a stale lock behind.
 *
 * <p>The lock's channel is touched only here, never by a script thread: an interrupt would close it, and the lock
 * with it.
 */
final class DataDirLock implements AutoCloseable {
    static final String NAME = "agent.lock";

    private final FileChannel channel;

    private DataDirLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Takes the folder's lock.
     *
     * @throws IllegalStateException when another agent holds it
     */
    static DataDirLock acquire(Path dataDir) throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve(NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another agent is using the data folder " + dataDir + ": stop it first, "
                    + "or give each agent a data folder of its own (--data)");
        }
        return new DataDirLock(channel);
    }

    /** Releases the lock (closing the channel does). */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
