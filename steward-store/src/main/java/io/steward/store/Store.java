package io.steward.store;

import java.sql.SQLException;

/**
 * The primary's database: scripts, runs and their events, nodes, tokens and the audit log, on embedded H2 or on
 * PostgreSQL (DESIGN.md, "store"). {@link #open} migrates the schema and starts the event writer and the history
 * pruner; {@link #close} drains the event writer before it closes the pool, so nothing accepted is lost.
 *
 * <p>Typical start-up of a primary:
 * <pre>{@code
 * Store store = Store.open(StoreConfig.builder().dataDir(dir).languages(engine).build());
 * store.runs().markLost("the primary restarted while the run was in progress");
 * Coordinator coordinator = Coordinator.builder().engine(engine).scripts(store.scripts())
 *         .eventSink(store.writer()).build();
 * }</pre>
 */
public final class Store implements AutoCloseable {
    private final StoreConfig config;
    private final Database db;
    private final ScriptStore scripts;
    private final RunStore runs;
    private final EventWriter writer;
    private final DiskGuard disk;
    private final EventStore events;
    private final RunTimelines timelines;
    private final TokenStore tokens;
    private final AuditLog audit;
    private final NodeStore nodes;
    private final HistoryPruner pruner;
    private final CoordinationStore coordination;
    private final ScheduleStore schedules;
    private final PolicyStore policies;
    private final NotificationStore notifications;
    private final RunSecretStore secrets;
    private final RunStatistics statistics;
    private final PrimaryStore primaries;
    private final LeaseStore leases;
    private final RunTail tail;
    private final ChildDispatchStore dispatch;
    private final RunOwners owners;
    private SharedCoordination sharedCoordination;
    private boolean closed;
    /** Null unless the store is an embedded H2 file. */
    private final WriteAheadLog log;

    private Store(StoreConfig config, Database db, SecretBox box, WriteAheadLog log, long lastLogged) {
        this.config = config;
        this.db = db;
        this.scripts = new ScriptStore(db, config.languages());
        this.runs = new RunStore(db);
        this.disk = DiskGuard.of(config.jdbcUrl(), DiskGuard.DEFAULT_RESERVE);
        this.tail = new RunTail(db, config);
        this.writer = new EventWriter(db, config.maxBatch(), config.writerLinger(), config.writerHold(), disk,
                config.primaryId(), tail::othersListening, log, lastLogged, config.writerShareIdle());
        this.log = log;
        db.beforeRead(writer::settle);
        this.events = new EventStore(db);
        this.timelines = new RunTimelines(db);
        this.tokens = new TokenStore(db);
        this.audit = new AuditLog(db, writer);
        this.nodes = new NodeStore(db);
        this.pruner = new HistoryPruner(runs, config.keepFor(), config.keepRuns());
        this.coordination = new CoordinationStore(db);
        this.schedules = new ScheduleStore(db);
        this.policies = new PolicyStore(db);
        this.notifications = new NotificationStore(db);
        this.secrets = new RunSecretStore(db, box);
        this.statistics = new RunStatistics(db);
        this.primaries = new PrimaryStore(db);
        this.dispatch = new ChildDispatchStore(db);
        this.leases = new LeaseStore(db);
        this.owners = new RunOwners(db);
    }

    /**
     * Opens the database (creating an embedded one on first use), brings its schema up to date and starts the
     * background work.
     *
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static Store open(StoreConfig config) {
        SecretBox box;
        try {
            box = SecretKeys.load(config.secretKey(), config.dataDir());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new StoreException("cannot open the store: " + e.getMessage(), e);
        }
        Database db;
        try {
            db = new Database(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the store at " + config.jdbcUrl() + ": " + rootMessage(e), e);
        }
        try {
            Migrations.migrate(db.dataSource());
            if (!db.postgres()) {
                Migrations.tuneH2(db.dataSource());
            }
            WriteAheadLog log = WriteAheadLog.of(config.jdbcUrl());
            long lastLogged = log == null ? 0 : LogReplay.replay(db, log, config.primaryId());
            Store store = new Store(config, db, box, log, lastLogged);
            store.pruner.start(config.pruneEvery());
            store.tail.start(); // on PostgreSQL: listens, and learns whether other primaries do
            int foreign = store.secrets.sealedWithAnotherKey();
            if (foreign > 0) {
                System.getLogger(Store.class.getName()).log(System.Logger.Level.WARNING, "the secret args of " + foreign
                        + " runs were sealed with another key than this primary's (" + store.secrets.keyId().orElse("")
                        + "): retries of those runs will fail; start the primary with the secret.key (or "
                        + "STEWARD_SECRET_KEY) they were sealed with");
            }
            return store;
        } catch (RuntimeException | SQLException e) {
            db.close();
            throw new StoreException("cannot migrate the store at " + config.jdbcUrl() + ": " + rootMessage(e), e);
        }
    }

    public StoreConfig config() {
        return config;
    }

    /** {@code "H2"} or {@code "PostgreSQL"}. */
    public String backend() {
        return db.postgres() ? "PostgreSQL" : "H2";
    }

    /** Whether other primaries can open this database too (PostgreSQL), rather than this process alone (H2). */
    public boolean sharedByPrimaries() {
        return db.postgres();
    }

    public ScriptStore scripts() {
        return scripts;
    }

    public RunStore runs() {
        return runs;
    }

    /** The coordinator's event sink: give it to {@code Coordinator.Builder.eventSink}. */
    /**
     * Refuses a new run while the embedded database's disk is nearly full (see {@link DiskGuard}), before anything
     * of it is written; nothing for PostgreSQL.
     *
     * @throws StoreException naming the free space and the fix
     */
    public void checkRoomForNewRun() {
        disk.checkRoomForNewRun();
    }

    public EventWriter writer() {
        return writer;
    }

    public EventStore events() {
        return events;
    }

    /** Runs' timeline summaries: lanes of threads and processes, marks of status, events and progress. */
    public RunTimelines timelines() {
        return timelines;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public AuditLog audit() {
        return audit;
    }

    /** The connection pool's size and use now (the primary's {@code steward_db_connections} meters). */
    public PoolState pool() {
        return db.poolState();
    }

    /** For tests in this package. */
    Database db() {
        return db;
    }

    public NodeStore nodes() {
        return nodes;
    }

    /** The coordination journal: variables, queued messages, pool entries, posted events. */
    public CoordinationStore coordination() {
        return coordination;
    }

    /**
     * Coordination that every primary on this database shares (PostgreSQL only): made on first use, which releases
     * what this primary's previous process held.
     *
     * @throws IllegalStateException on H2, which one primary alone opens: it keeps coordination in memory
     */
    public synchronized SharedCoordination sharedCoordination() {
        if (!sharedByPrimaries()) {
            throw new IllegalStateException("coordination is shared through PostgreSQL only; on H2 use LocalCoordination");
        }
        if (sharedCoordination == null) {
            sharedCoordination = new SharedCoordination(db, config.primaryId(), tail, System::currentTimeMillis);
        }
        return sharedCoordination;
    }

    /** Cron schedules and the slots they claimed (io.steward.schedule fires them). */
    public ScheduleStore schedules() {
        return schedules;
    }

    /** Script policies (concurrency limits, default retries) and retry chains. */
    public PolicyStore policies() {
        return policies;
    }

    /** Notifications on run ends and their delivery attempts. */
    public NotificationStore notifications() {
        return notifications;
    }

    /** The sealed secret args of runs. */
    public RunSecretStore secrets() {
        return secrets;
    }

    /** Aggregate statistics of ended runs, per time bucket and per script. */
    public RunStatistics statistics() {
        return statistics;
    }

    /** Children of fan-outs handed to the primary holding their agent's link (issue 15; PostgreSQL only). */
    public ChildDispatchStore dispatch() {
        return dispatch;
    }

    /** The primaries sharing this database and when each was last seen. */
    public PrimaryStore primaries() {
        return primaries;
    }

    /** The leases of single-owner work. */
    public LeaseStore leases() {
        return leases;
    }

    /** Follows runs that other primaries on this database write (issue 15): see {@link RunTail}. */
    public RunTail tail() {
        return tail;
    }

    /** Which primary each run belongs to. */
    public RunOwners owners() {
        return owners;
    }

    public HistoryPruner pruner() {
        return pruner;
    }

    /** Stops the pruner, writes every accepted event, then closes the connections. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pruner.close();
        tail.close();
        tokens.flushUses();
        writer.close();
        if (log != null) {
            try {
                log.close();
            } catch (java.io.IOException e) {
                // everything in it is committed by now: nothing is lost with it
            }
        }
        coordination.close();
        // Compacting rewrites the live data: on a nearly full disk that could be the write that fails.
        db.close(!disk.low());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
