package io.steward.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The connection pool and the few JDBC habits every repository shares: transactions as lambdas, portable
 * timestamps, and telling a unique-key violation from other failures.
 *
 * <p>Times are written as {@link OffsetDateTime} in UTC, cut to microseconds, because both H2 and PostgreSQL
 * keep {@code TIMESTAMP WITH TIME ZONE} to the microsecond: an instant read back equals the one written.
 */
final class Database implements AutoCloseable {
    /** SQLSTATE of a unique or primary key violation, the same in H2 and PostgreSQL. */
    static final String UNIQUE_VIOLATION = "23505";
    private static final int H2_DATABASE_CLOSED = 90121;
    static final java.time.Duration CONNECTION_TIMEOUT = java.time.Duration.ofSeconds(10);
    static final java.time.Duration PG_SOCKET_TIMEOUT = java.time.Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(Database.class.getName());

    private final HikariDataSource pool;
    private final boolean postgres;

    Database(StoreConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setPoolName("steward-store");
        hikari.setAutoCommit(true);
        // A store that stopped answering must fail requests in bounded time, not hold them (the stalled-database
        // drill): at most this long waiting for a pooled connection ...
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        this.postgres = config.jdbcUrl().startsWith("jdbc:postgresql:");
        if (postgres) {
            // ... and, on PostgreSQL, at most this long waiting for the server's answer on a connection: without it a
            // connection to a server that went silent (no FIN) waits forever. A socketTimeout in the URL wins.
            if (!config.jdbcUrl().toLowerCase(java.util.Locale.ROOT).contains("sockettimeout=")) {
                hikari.addDataSourceProperty("socketTimeout", Long.toString(PG_SOCKET_TIMEOUT.toSeconds()));
            }
            // Lets the driver send a JDBC batch of inserts as multi-row INSERTs: the event writer's batches
            // go several times faster.
            hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        if (!postgres) {
            hikari.setExceptionOverride(new BrokenConnections());
        }
        this.pool = new HikariDataSource(hikari);
    }

    HikariDataSource dataSource() {
        return pool;
    }

    /** The pool now; all zero but its size before the pool has started. */
    PoolState poolState() {
        var bean = pool.getHikariPoolMXBean();
        if (bean == null) {
            return new PoolState(pool.getMaximumPoolSize(), 0, 0, 0);
        }
        return new PoolState(pool.getMaximumPoolSize(), bean.getActiveConnections(), bean.getIdleConnections(),
                bean.getThreadsAwaitingConnection());
    }

    /** Run before every {@link #read}: the event writer's {@link EventWriter#settle}. */
    private volatile Runnable beforeRead = () -> { };

    void beforeRead(Runnable settle) {
        this.beforeRead = settle;
    }

    boolean postgres() {
        return postgres;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode (one statement, or reads). */
    <T> T read(Work<T> work) {
        beforeRead.run();
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(Work<T> work) {
        try {
            return inTransactionOrThrow(work);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** As {@link #inTransaction} but hands the {@link SQLException} to the caller, which may retry. */
    <T> T inTransactionOrThrow(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        }
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    /** The same instant as {@link #setInstant} would store it, for comparing with what is read back. */
    static Instant stored(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    static void setNullableInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    /**
     * Closes the pool. An H2 database is compacted first: H2 reuses the space of deleted rows only partly while it
     * runs, so a store that keeps pruning old runs grows until it is compacted, and {@code SHUTDOWN COMPACT} rewrites
     * just the live data (in a test, 373 MB of churned history became 1.4 MB in 0.6 s). Done last, after the event
     * writer has drained, since it closes the database under every pooled connection.
     */
    @Override
    public void close() {
        close(true);
    }

    /** Closes the pool, compacting an H2 database first when {@code compact}. */
    void close(boolean compact) {
        if (!postgres && compact) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
            } catch (SQLException e) {
                // H2 answers its own SHUTDOWN with "database is already closed" (90121): that is success.
                if (e.getErrorCode() != H2_DATABASE_CLOSED) {
                    LOG.log(System.Logger.Level.WARNING, "store: compacting the H2 database on close failed: {0}",
                            e.getMessage());
                }
            }
        }
        pool.close();
    }
}
