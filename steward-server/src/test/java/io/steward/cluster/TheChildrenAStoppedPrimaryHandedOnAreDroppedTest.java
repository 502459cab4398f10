package io.steward.cluster;

import io.steward.gateway.TestPrimary;
import io.steward.store.ChildDispatch;
import io.steward.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A primary that hands fan-out children to others through {@code child_dispatch} and then stops without a word: when
 * the holder of the {@code lost} lease marks its fan-out LOST it also drops the rows it wrote. A child no primary had
 * started never starts (and its sealed args go); the row of one already started, which only its parent's primary
 * read, goes too. Before, such rows stayed in the table for good, and an untaken child could still start under a
 * LOST parent.
 */
class TheChildrenAStoppedPrimaryHandedOnAreDroppedTest {
    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Duration LONG = Duration.ofSeconds(60);

    @RegisterExtension
    static final PrimariesOnOneDatabase primaries = new PrimariesOnOneDatabase(TTL);

    private TestPrimary primary(String name) throws Exception {
        return primaries.primary(name);
    }

    private static ChildDispatch child(String id, String parent, String owner, String sender) {
        return new ChildDispatch(id, parent, "agent-" + id, owner, sender, "job.groovy", 1, Map.of("n", 1), null);
    }

    @Test
    void theLostReaperDropsTheRowsOfAFanOutWhosePrimaryStopped() throws Exception {
        TestPrimary a = primary("a");
        TestPrimary b = primary("b");
        Store storeA = a.server.store();
        Store storeB = b.server.store();
        String idA = storeA.config().primaryId();
        a.push("hold.groovy", "sleep(600_000)");
        String parent = (String) a.admin.post("/api/v1/runs", Map.of("script", "hold.groovy")).json().get("id");
        await().atMost(LONG).until(() -> "RUNNING".equals(b.admin.get("/api/v1/runs/" + parent).json().get("state")));
        // as A's fan-out leaves them: one child for a primary that has not taken it yet, with a sealed secret arg,
        // one taken and started by its primary; and one B's own fan-out handed on, which must stay
        storeA.dispatch().offerAll(List.of(child("c-untaken", parent, "p-slow", idA),
                child("c-taken", parent, "p-busy", idA)));
        storeA.secrets().save("c-untaken", Map.of("password", "s3cret"));
        assertThat(storeA.dispatch().takeOne("c-taken", "p-busy")).isTrue();
        storeB.dispatch().offer(child("c-of-b", "parent-of-b", "p-slow", storeB.config().primaryId()));

        // A goes silent as a killed process would: no beat, no goodbye.
        a.server.cluster().halt();
        await().atMost(TTL.multipliedBy(4)).until(() -> b.server.cluster().leases().holds(Leases.LOST));
        await().atMost(LONG).until(() -> "LOST".equals(b.admin.get("/api/v1/runs/" + parent).json().get("state")));

        await().atMost(LONG).until(() -> storeB.dispatch().takenBy("c-taken").isEmpty());
        assertThat(storeB.dispatch().take("p-slow", 10)).as("the untaken child of A never starts; B's own stays")
                .extracting(ChildDispatch::id).containsExactly("c-of-b");
        assertThat(storeB.secrets().withSecrets(List.of("c-untaken"))).as("its sealed args are gone with it").isEmpty();
    }
}
