package io.steward.store;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The commit notices' payloads: what one says, split to fit PostgreSQL's limit, read back whatever comes. */
class CommitNoticesTest {
    @Test
    void aCommitOfManyRunsIsSplitIntoNoticesPostgresAccepts() {
        EventBatch batch = new EventBatch();
        for (int i = 0; i < 1000; i++) {
            String id = String.format("01MANYRUNS%017d", i);
            batch.maxSeq.put(id, (long) i + 1);
        }
        List<String> payloads = CommitNotices.payloads("p-x", batch);
        assertThat(payloads).hasSizeGreaterThan(1).allSatisfy(p -> assertThat(p.length()).isLessThan(8000));
        assertThat(payloads.stream().mapToInt(p -> CommitNotices.parse(p).entries().size()).sum()).isEqualTo(1000);
    }

    @Test
    void entriesNotOfThisFormatAreSkipped() {
        CommitNotices.Notice notice = CommitNotices.parse("p-a 01RUN,7,e junk 01OTHER,x 01LAST,9,z");
        assertThat(notice.sender()).isEqualTo("p-a");
        assertThat(notice.entries()).containsExactly(new CommitNotices.Entry("01RUN", 7, true, true),
                new CommitNotices.Entry("01LAST", 9, false, false));
    }
}
