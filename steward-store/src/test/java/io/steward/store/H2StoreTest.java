package io.steward.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The store contract on the embedded default: an H2 file in a fresh data directory. */
class H2StoreTest extends StoreContractTest {
    @TempDir
    Path dataDir;

    @Override
    StoreConfig.Builder database() {
        return StoreConfig.builder().dataDir(dataDir);
    }

    @Test
    void theDefaultDatabaseIsAFileInTheDataDirectoryThatWritesEachCommitAtOnce() throws Exception {
        assertThat(store.backend()).isEqualTo("H2");
        assertThat(Files.exists(dataDir.resolve("steward.mv.db"))).isTrue();
        assertThat(store.config().jdbcUrl()).startsWith("jdbc:h2:file:" + dataDir.toAbsolutePath())
                .contains(";WRITE_DELAY=0").contains(";DB_CLOSE_ON_EXIT=FALSE");
        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("0");
        }
    }

    @Test
    void theAuditLogsIdsAreHandedOutInLargeStepsSoThatInvokesDoNotCommitTheSequence() throws Exception {
        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS "
                     + "WHERE TABLE_NAME = 'AUDIT_LOG' AND COLUMN_NAME = 'ID'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(Migrations.H2_AUDIT_ID_CACHE);
        }
        reopen();
        assertThat(store.audit().list(1)).isEmpty();
    }

    @Test
    void byDefaultTheStoreAcceptsTheScriptsOfEveryLanguageOnTheClassPath() {
        assertThat(StoreConfig.embedded(dataDir).languages()).containsEntry(".groovy", "groovy")
                .containsKey(".js");
        assertThat(StoreConfig.builder().dataDir(dataDir).languages(new io.steward.engine.Engine()).build()
                .extensions()).isEqualTo(new io.steward.engine.Engine().extensions());
    }

    @Test
    void anH2UrlThatSetsItsOwnWriteDelayKeepsIt() {
        StoreConfig config = StoreConfig.builder().jdbcUrl("jdbc:h2:mem:x;WRITE_DELAY=100").build();
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:h2:mem:x;WRITE_DELAY=100;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(config.toString()).doesNotContain("password");
    }
}
