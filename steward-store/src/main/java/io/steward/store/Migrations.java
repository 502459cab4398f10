package io.steward.store;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/**
 * Brings the schema up to date with Flyway before anything else touches it. The SQL lives in
 * {@code db/migration} on the class path, one set of files for H2 and PostgreSQL alike.
 */
final class Migrations {

    private Migrations() {
    }

    /** Applies every pending migration; returns how many. */
    static int migrate(DataSource dataSource) {
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                // An applied migration whose file changed since is an error, not something to paper over.
                .validateOnMigrate(true)
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
