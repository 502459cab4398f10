package io.steward.store;

import io.steward.coordinator.RunState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store tail on a real PostgreSQL (each test a schema of its own): the writer's commit notices, what they say,
 * and the change listener that hears other primaries' runs only.
 */
class PostgresRunTailTest extends RunTailContractTest {
    private PostgresSchema schema;

    @BeforeAll
    static void needsPostgres() {
        PostgresSchema.required();
    }

    @Override
    StoreConfig.Builder database() {
        if (schema == null) {
            schema = new PostgresSchema();
        }
        return schema.config();
    }

    @AfterEach
    void dropSchema() {
        close();
        other = null;
        here = null;
        schema.drop();
    }

    @Test
    void eachCommitIsAnnouncedOnceCommittedWithItsRunsAndTheirSequenceNumbers() throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresSchema.URL, PostgresSchema.USER, PostgresSchema.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("LISTEN " + CommitNotices.CHANNEL);
            String id = "01NOTICEDRUN000000000000001";
            started(id, 4);
            // The writer may commit the run's items in one group or several: one notice per commit.
            List<CommitNotices.Notice> notices = new ArrayList<>();
            List<CommitNotices.Entry> entries = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (entries.stream().noneMatch(e -> e.lastSeq() == 4) && System.nanoTime() < until) {
                PGNotification[] got = c.unwrap(PGConnection.class).getNotifications(500);
                for (PGNotification n : got == null ? new PGNotification[0] : got) {
                    CommitNotices.Notice notice = CommitNotices.parse(n.getParameter());
                    if (notice.entries().stream().anyMatch(e -> e.runId().equals(id))) {
                        notices.add(notice);
                        notice.entries().stream().filter(e -> e.runId().equals(id)).forEach(entries::add);
                    }
                }
            }
            assertThat(notices).isNotEmpty().allSatisfy(n -> assertThat(n.sender()).isEqualTo("p-other"));
            assertThat(entries.getFirst().listed()).as("its creation changes what lists show").isTrue();
            assertThat(entries).extracting(CommitNotices.Entry::lastSeq).isSorted().endsWith(4L);
            assertThat(entries).noneMatch(CommitNotices.Entry::ended);
        }
    }

    @Test
    void theListenerHearsOfOtherPrimariesRunsNotOfItsOwn() throws Exception {
        List<String> changed = new CopyOnWriteArrayList<>();
        here.tail().listen(new RunTail.Listener() {
            @Override
            public void runsChanged(Set<String> runIds) {
                changed.addAll(runIds);
            }

            @Override
            public void missed() {
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> here.tail().listening());
        Snapshots.finishedRun(here.writer(), "01OWNRUN00000000000000000001", "own.groovy", Instant.now(), Instant.now(), 2);
        here.writer().flush();
        var theirs = started("01THEIRRUN000000000000000001", 2);
        other.writer().runEnded(Snapshots.ended(theirs, RunState.FAILED, Instant.now(), 2));
        other.writer().flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> changed.contains(theirs.id()));
        assertThat(changed).doesNotContain("01OWNRUN00000000000000000001");
    }
}
