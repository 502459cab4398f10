package io.steward.store;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Follows runs that this primary does not hold, whose events another primary on the same database commits: the
 * store tail behind a client of primary A that follows a run on primary B. This primary's own runs never come here:
 * its {@link EventWriter}'s watermarks already say, at no cost, when their events are durable.
 *
 * <p>One thread per primary serves every follower, however many. On PostgreSQL it holds one connection of its own,
 * outside the pool, that {@code LISTEN}s to the {@link CommitNotices} every primary's writer sends inside its
 * commits: a follower is woken within a millisecond or two of the commit. Notices can be missed (the connection
 * drops, a primary of an older version sends none), so while anyone follows, the thread also polls the followed
 * runs' {@code last_seq} and state (which the writer updates in the same transaction as the events): every
 * {@link #POLL_LISTENING} while the connection listens, every {@link #POLL} otherwise and always on H2, which has no
 * notifications. The poll is one query for all followed runs.
 *
 * <p>The thread also looks, every {@link #CHECK_LISTENERS}, whether another primary's tail listens on the database
 * ({@code pg_stat_activity}, by its application name): this primary's writer sends its notices only then, so a
 * primary alone on PostgreSQL pays nothing for them on its commit path.
 *
 * <p>What a follower learns here is only that more is committed: it reads the events themselves from the store
 * (through the shared frame cache), so the tail holds no events and no follower's pace matters to it.
 *
 * <p>Notices also say which runs' summaries changed on other primaries; {@link #listen} hands those to the change
 * stream, and tells it when notices may have been missed, so that its clients re-read what they show.
 */
public final class RunTail implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RunTail.class.getName());
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration POLL_LISTENING = Duration.ofSeconds(1);
    /** The longest the thread blocks in one wait: how long closing may take. */
    private static final long SLICE_MS = 250;
    private static final long CHECK_CONNECTION_MS = 10_000;
    /** How often the thread looks whether other primaries listen: how long a new primary may go unannounced to. */
    static final Duration CHECK_LISTENERS = Duration.ofSeconds(2);
    static final String APPLICATION_NAME = "steward-run-tail";
    private static final String OTHER_LISTENERS = "SELECT count(*) FROM pg_stat_activity WHERE datname = "
            + "current_database() AND application_name = '" + APPLICATION_NAME + "' AND pid <> pg_backend_pid()";
    private static final long MAX_RECONNECT_MS = 5_000;

    /** Told of other primaries' runs, on the tail's thread: must hand off and return, never block. */
    public interface Listener {
        /** Runs another primary created, started or ended, or gave a state or progress event. */
        void runsChanged(Set<String> runIds);

        /** Notices may have been missed (the listening connection was lost): whatever shows runs should re-read. */
        void missed();
    }

    private final Database db;
    private final StoreConfig config;
    private final Map<String, Followed> followed = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** The shared coordination of this primary, told of changes other primaries (and this one) make (PostgreSQL). */
    private volatile CoordinationNotices coordinationNotices;
    /** This primary's taker of children handed to it by other primaries (PostgreSQL). */
    private volatile java.util.function.Consumer<String> dispatchNotices;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wanted = lock.newCondition();
    private Thread thread;
    private volatile boolean closed;
    private volatile boolean listening;
    /** Until known otherwise, assume someone listens: a notice too many costs little, one too few a poll's delay. */
    private volatile boolean othersListening = true;

    RunTail(Database db, StoreConfig config) {
        this.db = db;
        this.config = config;
    }

    /**
     * Starts following {@code runId} until the returned handle is closed. Reads the run's committed watermark once
     * now, so the handle knows it at once; the first follower of a run costs one query, later ones none.
     */
    public Following follow(String runId) {
        Followed run = followed.compute(runId, (id, f) -> {
            Followed held = f != null ? f : new Followed();
            held.holders++;
            return held;
        });
        try {
            poll(Map.of(runId, run));
        } catch (StoreException e) {
            // The poll will try again: a follower waiting here learns of the run's progress a moment later.
            LOG.log(System.Logger.Level.DEBUG, "run tail: reading run " + runId + " failed: " + e.getMessage());
        }
        startThread();
        return new Following(runId, run);
    }

    /** Tells {@code listener} of other primaries' runs from now on (PostgreSQL only); returns what stops it. */
    public Runnable listen(Listener listener) {
        listeners.add(listener);
        start();
        return () -> listeners.remove(listener);
    }

    /** Told of {@link SharedCoordination}'s notices, on the tail's thread: must hand off and return, never block. */
    interface CoordinationNotices {
        void noticed(String payload);

        /** Notices may have been missed (the listening connection was lost): every waiter should look again. */
        void missed();
    }

    /** The same connection that hears commits also hears coordination: one listening thread per primary. */
    void listenCoordination(CoordinationNotices notices) {
        this.coordinationNotices = notices;
        start();
    }

    /**
     * Tells {@code notices} of {@link ChildDispatchStore}'s notices (their payload: the primary addressed, or
     * {@code *}), on the tail's thread: must hand off and return, never block. When notices may have been missed it
     * is told {@code *}.
     */
    public void listenDispatch(java.util.function.Consumer<String> notices) {
        this.dispatchNotices = notices;
        start();
    }

    /** Whether the PostgreSQL connection is listening to notices now (false on H2). */
    public boolean listening() {
        return listening;
    }

    /**
     * Whether another primary's tail listens for commit notices on this database (looked up every
     * {@link #CHECK_LISTENERS}; true while unknown): this primary's event writer sends notices only then, so a
     * primary alone on its database pays nothing for them.
     */
    public boolean othersListening() {
        return othersListening;
    }

    /** Runs followed now, by any number of followers each. */
    public int followedRuns() {
        return followed.size();
    }

    /** On PostgreSQL, starts listening at once (the store opens it); on H2 the thread waits for a follower. */
    void start() {
        if (db.postgres()) {
            startThread();
        }
    }

    private void startThread() {
        lock.lock();
        try {
            if (thread == null && !closed) {
                thread = Thread.ofPlatform().name("steward-run-tail").daemon(true).start(this::loop);
            }
            wanted.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One follower's hold on a run: how far its events are committed, and a way to wait for more. */
    public final class Following implements AutoCloseable {
        private final String runId;
        private final Followed run;
        private boolean closed;

        private Following(String runId, Followed run) {
            this.runId = runId;
            this.run = run;
        }

        /** The sequence number up to which the run's events are committed, as far as the tail knows. */
        public long seq() {
            return run.seq;
        }

        /** Moves on whenever anything is heard of the run (a notice, a change seen by a poll). */
        public long version() {
            return run.version;
        }

        /**
         * Waits until the run's events are committed past {@code afterSeq}, or anything else is heard of the run
         * since {@code seenVersion} (such as its end), or {@code timeout} passes.
         *
         * @return {@code false} when the timeout passed with nothing heard
         */
        public boolean await(long afterSeq, long seenVersion, Duration timeout) throws InterruptedException {
            run.lock.lock();
            try {
                long left = timeout.toNanos();
                while (run.seq <= afterSeq && run.version == seenVersion) {
                    if (left <= 0) {
                        return false;
                    }
                    left = run.changed.awaitNanos(left);
                }
                return true;
            } finally {
                run.lock.unlock();
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                followed.computeIfPresent(runId, (id, f) -> --f.holders == 0 ? null : f);
            }
        }
    }

    /** A followed run: what is known of it and the followers waiting for more. Shared by all its followers. */
    private static final class Followed {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        /** Changed only inside {@code followed.compute}. */
        int holders;
        volatile long seq;
        volatile long version;
        /** What the last poll saw, so that a poll wakes followers only when something changed. */
        long polledSeq = -1;
        String polledState;

        void noticed(long lastSeq) {
            lock.lock();
            try {
                seq = Math.max(seq, lastSeq);
                version++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void polled(long lastSeq, String state) {
            lock.lock();
            try {
                if (lastSeq != polledSeq || !state.equals(polledState)) {
                    polledSeq = lastSeq;
                    polledState = state;
                    seq = Math.max(seq, lastSeq);
                    version++;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    // ---- the tail's thread ----

    private void loop() {
        Connection connection = null;
        boolean everListened = false;
        long nextConnect = System.nanoTime();
        long reconnectMs = 250;
        long lastPoll = System.nanoTime() - POLL_LISTENING.toNanos();
        long lastCheck = System.nanoTime();
        long lastListenersCheck = System.nanoTime() - 2 * CHECK_LISTENERS.toNanos();
        try {
            while (!closed) {
                try {
                    long now = System.nanoTime();
                    if (db.postgres() && connection == null && now - nextConnect >= 0) {
                        try {
                            connection = listen();
                            reconnectMs = 250;
                            lastCheck = now;
                            listening = true;
                            if (everListened) {
                                // Whatever was committed while no one listened was not told: the poll catches the
                                // followers up; the change stream's clients must re-read.
                                listeners.forEach(Listener::missed);
                                CoordinationNotices coord = coordinationNotices;
                                if (coord != null) {
                                    coord.missed();
                                }
                                java.util.function.Consumer<String> dispatch = dispatchNotices;
                                if (dispatch != null) {
                                    dispatch.accept("*");
                                }
                            }
                            everListened = true;
                        } catch (SQLException e) {
                            nextConnect = now + TimeUnit.MILLISECONDS.toNanos(reconnectMs);
                            LOG.log(System.Logger.Level.WARNING, "run tail: cannot listen for other primaries' "
                                    + "commits (" + e.getMessage() + "); polling every " + POLL.toMillis()
                                    + " ms, retrying in " + reconnectMs + " ms");
                            reconnectMs = Math.min(MAX_RECONNECT_MS, reconnectMs * 2);
                        }
                    }
                    long pollEvery = (connection != null ? POLL_LISTENING : POLL).toNanos();
                    if (!followed.isEmpty() && now - lastPoll >= pollEvery) {
                        pollQuietly();
                        lastPoll = System.nanoTime();
                    }
                    long untilPoll = followed.isEmpty() ? Long.MAX_VALUE
                            : TimeUnit.NANOSECONDS.toMillis(lastPoll + pollEvery - System.nanoTime());
                    long waitMs = Math.max(1, Math.min(SLICE_MS, untilPoll));
                    if (connection != null) {
                        try {
                            handle(connection.unwrap(PGConnection.class).getNotifications((int) waitMs));
                            if (System.nanoTime() - lastListenersCheck > CHECK_LISTENERS.toNanos()) {
                                lastListenersCheck = System.nanoTime();
                                othersListening = othersListen(connection);
                            }
                            if (System.nanoTime() - lastCheck > TimeUnit.MILLISECONDS.toNanos(CHECK_CONNECTION_MS)) {
                                lastCheck = System.nanoTime();
                                if (!connection.isValid(2)) {
                                    throw new SQLException("the listening connection stopped answering");
                                }
                            }
                        } catch (SQLException e) {
                            LOG.log(System.Logger.Level.WARNING, "run tail: lost the listening connection ("
                                    + e.getMessage() + "); polling every " + POLL.toMillis() + " ms until it is back");
                            closeQuietly(connection);
                            connection = null;
                            listening = false;
                            othersListening = true;
                            lastListenersCheck = System.nanoTime() - 2 * CHECK_LISTENERS.toNanos();
                        }
                    } else {
                        idle(waitMs);
                    }
                } catch (RuntimeException e) {
                    // A bug must not stop every follower of other primaries' runs: they would wait out heartbeats.
                    LOG.log(System.Logger.Level.ERROR, "run tail: unexpected failure; carrying on", e);
                    idle(POLL.toMillis());
                }
            }
        } finally {
            listening = false;
            closeQuietly(connection);
        }
    }

    /** Waits {@code waitMs}, or on H2 with no one following, until someone follows or the tail closes. */
    private void idle(long waitMs) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (followed.isEmpty() && !db.postgres()) {
                wanted.await(); // nothing to poll until a follower comes: follow() signals
            } else {
                wanted.await(waitMs, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private Connection listen() throws SQLException {
        Properties properties = new Properties();
        if (config.user() != null) {
            properties.setProperty("user", config.user());
        }
        properties.setProperty("password", config.password());
        properties.setProperty("tcpKeepAlive", "true");
        // A server that stopped answering must not hold the thread for ever (the stalled-database drill): the
        // handshake and every statement here are bounded; waiting for notices sets its own timeout.
        properties.setProperty("loginTimeout", Long.toString(Database.CONNECTION_TIMEOUT.toSeconds()));
        properties.setProperty("connectTimeout", Long.toString(Database.CONNECTION_TIMEOUT.toSeconds()));
        properties.setProperty("socketTimeout", Long.toString(Database.PG_SOCKET_TIMEOUT.toSeconds()));
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        Connection connection = DriverManager.getConnection(config.jdbcUrl(), properties);
        try (Statement s = connection.createStatement()) {
            s.execute("LISTEN " + CommitNotices.CHANNEL);
            s.execute("LISTEN " + SharedCoordination.CHANNEL);
            s.execute("LISTEN " + ChildDispatchStore.CHANNEL);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw e;
        }
        return connection;
    }

    /** Other sessions of this database's tails; when that cannot be read (no right to), assume there are. */
    private static boolean othersListen(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(OTHER_LISTENERS)) {
            return !rs.next() || rs.getLong(1) > 0;
        } catch (SQLException e) {
            if (connection.isValid(2)) {
                LOG.log(System.Logger.Level.DEBUG, "run tail: cannot read pg_stat_activity: " + e.getMessage());
                return true;
            }
            throw e;
        }
    }

    private void handle(PGNotification[] notifications) {
        if (notifications == null) {
            return;
        }
        Set<String> changedElsewhere = new HashSet<>();
        for (PGNotification n : notifications) {
            if (SharedCoordination.CHANNEL.equals(n.getName())) {
                CoordinationNotices coord = coordinationNotices;
                if (coord != null) {
                    coord.noticed(n.getParameter());
                }
                continue;
            }
            if (ChildDispatchStore.CHANNEL.equals(n.getName())) {
                java.util.function.Consumer<String> dispatch = dispatchNotices;
                if (dispatch != null) {
                    dispatch.accept(n.getParameter());
                }
                continue;
            }
            CommitNotices.Notice notice = CommitNotices.parse(n.getParameter());
            boolean ours = notice.sender().equals(config.primaryId());
            for (CommitNotices.Entry entry : notice.entries()) {
                Followed run = followed.get(entry.runId());
                if (run != null) {
                    run.noticed(entry.lastSeq());
                }
                // This primary's own changes reach the change stream from its writer already.
                if (entry.listed() && !ours) {
                    changedElsewhere.add(entry.runId());
                }
            }
        }
        if (!changedElsewhere.isEmpty()) {
            Set<String> ids = Set.copyOf(changedElsewhere);
            for (Listener listener : listeners) {
                try {
                    listener.runsChanged(ids);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "run tail: a listener failed", e);
                }
            }
        }
    }

    private void pollQuietly() {
        try {
            poll(followed);
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.WARNING, "run tail: polling followed runs failed: " + e.getMessage());
        }
    }

    /** One query per {@value InList#CHUNK} runs: each run's {@code last_seq} and state as committed now. */
    private void poll(Map<String, Followed> runs) {
        for (List<String> chunk : InList.chunks(runs.keySet())) {
            Map<String, Long> seqs = new HashMap<>();
            Map<String, String> states = new HashMap<>();
            db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT id, last_seq, state FROM runs WHERE id IN "
                        + InList.marks(chunk.size()))) {
                    InList.bind(ps, 1, chunk);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            seqs.put(rs.getString(1), rs.getLong(2));
                            states.put(rs.getString(1), rs.getString(3));
                        }
                    }
                }
                return null;
            });
            for (String id : chunk) {
                Followed run = runs.get(id);
                if (run != null) {
                    // A run that is gone (pruned) is a change too: its followers look and find it so.
                    run.polled(seqs.getOrDefault(id, -1L), states.getOrDefault(id, "GONE"));
                }
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    /** Stops the thread (within a quarter of a second) and its connection. Followers' handles stay usable. */
    @Override
    public void close() {
        Thread running;
        lock.lock();
        try {
            closed = true;
            wanted.signalAll();
            running = thread;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            try {
                running.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
