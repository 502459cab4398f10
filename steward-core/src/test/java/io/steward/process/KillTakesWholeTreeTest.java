package io.steward.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.steward.process.fixtures.Fixtures;
import io.steward.process.fixtures.IgnoresSigterm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Cancel and run failure kill every process a run started, with everything those started, and nothing else. */
@Timeout(30)
@ForEachSpawner
class KillTakesWholeTreeTest {
    /** A shell with a {@code sleep 600} child and a sub-shell that has its own {@code sleep 600} child. */
    private static final String TREE = "sh -c 'sleep 600 & wait' & sleep 600 & wait";
    private static final int TREE_DESCENDANTS = 3;

    private final LocalProcesses processes;
    private final List<ProcessHandle> started = new ArrayList<>();

    KillTakesWholeTreeTest(String spawner) {
        processes = ForEachSpawner.Registry.of(spawner);
    }

    @AfterEach
    void cleanUp() {
        processes.close();
        Pids.killAll(started);
    }

    private LocalProcess launchTree(String owner) {
        return processes.launch(ProcessSpec.shell(TREE), owner, ProcessListener.NONE);
    }

    /** The pids of the whole tree, once all of it has started. */
    private List<Long> treeOf(LocalProcess p) {
        List<Long> descendants = await("the tree of " + p.pid() + " has started").atMost(Duration.ofSeconds(10))
                .until(() -> Pids.descendants(p.pid()), d -> d.size() == TREE_DESCENDANTS);
        List<Long> pids = new ArrayList<>(descendants);
        pids.addFirst(p.pid());
        started.addAll(Pids.handles(pids));
        return pids;
    }

    @Test
    void killEndsTheProcessAndAllItsDescendants() throws InterruptedException {
        LocalProcess p = launchTree("run-1");
        List<Long> tree = treeOf(p);

        p.kill();
        ExecResult r = p.waitFor(Duration.ofSeconds(10));

        assertThat(r).isNotNull();
        assertThat(r.killed()).isTrue();
        assertThat(r.timedOut()).isFalse();
        Pids.awaitGone(tree);
    }

    @Test
    void killEndsAProcessThatIgnoresSigterm() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        LocalProcess p = processes.launch(ProcessSpec.argv(Fixtures.java(IgnoresSigterm.class)), "run-1", listener);
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.lines(StdStream.STDOUT).contains("ready"));

        p.kill();
        ExecResult r = p.waitFor(Duration.ofSeconds(10));

        assertThat(r).isNotNull();
        assertThat(r.exitCode()).as("128 + SIGKILL").isEqualTo(137);
        assertThat(r.killed()).isTrue();
        Pids.awaitGone(List.of(p.pid()));
    }

    @Test
    void killOwnedByKillsTheTreesOfThatRunOnly() throws InterruptedException {
        LocalProcess a1 = launchTree("run-a");
        LocalProcess a2 = launchTree("run-a");
        LocalProcess b = launchTree("run-b");
        List<Long> aTrees = new ArrayList<>(treeOf(a1));
        aTrees.addAll(treeOf(a2));
        List<Long> bTree = treeOf(b);

        assertThat(processes.killOwnedBy("run-a")).isEqualTo(2);

        assertThat(a1.waitFor(Duration.ofSeconds(10))).isNotNull().extracting(ExecResult::killed).isEqualTo(true);
        assertThat(a2.waitFor(Duration.ofSeconds(10))).isNotNull().extracting(ExecResult::killed).isEqualTo(true);
        Pids.awaitGone(aTrees);
        assertThat(bTree).allMatch(Pids::running);
        assertThat(b.isAlive()).isTrue();
        assertThat(processes.ownedBy("run-b")).extracting(ProcessInfo::pid).containsExactly(b.pid());
        assertThat(processes.ownedBy("run-a")).isEmpty();

        assertThat(processes.killOwnedBy("run-b")).isEqualTo(1);
        Pids.awaitGone(bTree);
    }

    @Test
    void killOwnedByAnUnknownRunKillsNothing() {
        LocalProcess p = launchTree("run-1");
        treeOf(p);

        assertThat(processes.killOwnedBy("run-2")).isZero();
        assertThat(p.isAlive()).isTrue();
    }

    @Test
    void closingTheRegistryKillsEveryTree() {
        LocalProcess p = launchTree("run-1");
        List<Long> tree = treeOf(p);

        processes.close();

        Pids.awaitGone(tree);
    }
}
