package io.steward.coordinator;

import io.steward.engine.Fleet;
import io.steward.engine.RemotePrimary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * runOn and the fan-out parent, against a fleet whose "nodes" all run their children on this same coordinator:
 * real child runs, without agents. The real fleet of the primary is tested with agent processes.
 */
class FanOutOnAFakeFleetTest {
    @TempDir
    Path dir;
    Scripts scripts;
    final List<String> nodes = List.of("n1", "n2", "n3");

    /** Every node is this coordinator; a child's node is recorded in its args so the test can tell them apart. */
    final class SameProcessFleet implements Fleet {
        @Override
        public List<Map<String, Object>> nodes(String selector) {
            return nodes.stream().filter(n -> selector.equals("all") || selector.equals(n))
                    .map(n -> Map.<String, Object>of("name", n)).toList();
        }

        @Override
        public List<Map<String, Object>> runOn(String parent, String selector, String script, Map<String, Object> args,
                                               Map<String, Object> options, Consumer<Map<String, Object>> children)
                throws InterruptedException {
            List<Map<String, Object>> results = new ArrayList<>();
            for (Map<String, Object> node : nodes(selector)) {
                Map<String, Object> childArgs = new LinkedHashMap<>(args);
                childArgs.put("node", node.get("name"));
                RunHandle child = scripts.coordinator().invoke(InvokeRequest.of(script, childArgs).withParent(parent));
                RunSnapshot end = child.await(Duration.ofSeconds(30));
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("id", end.id());
                record.put("node", node.get("name"));
                record.put("state", end.state().name());
                record.put("result", end.result());
                record.put("error", end.error() == null ? null : end.error().toMap());
                children.accept(record);
                results.add(record);
            }
            return results;
        }

        @Override
        public RemotePrimary connect(String url, String token) {
            throw new UnsupportedOperationException();
        }
    }

    @BeforeEach
    void setUp() {
        scripts = new Scripts(dir, Coordinator.builder().fleet(new SameProcessFleet()));
        scripts.write("child.groovy", "if (args.node == 'n2' && args.failOn2) throw new RuntimeException('n2 broke'); 'hi from ' + args.node");
    }

    @AfterEach
    void tearDown() {
        scripts.close();
    }

    @Test
    void runOnReturnsResultsByNodeAndRecordsChildren() throws Exception {
        RunSnapshot run = scripts.run("parent.groovy", "runOn('all', 'child.groovy', [:])");
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.result()).isEqualTo(Map.of("n1", "hi from n1", "n2", "hi from n2", "n3", "hi from n3"));
        assertThat(run.children()).hasSize(3).allSatisfy(c -> assertThat(c).containsEntry("state", "SUCCEEDED"));
        assertThat(run.statusValues()).containsEntry("children", Map.of("SUCCEEDED", 3L));
        assertThat(scripts.coordinator().runs()).filteredOn(r -> "child.groovy".equals(r.script()))
                .allSatisfy(c -> assertThat(c.parent()).isEqualTo(run.id()));
    }

    @Test
    void aFailedChildFailsRunOnNamingTheNode() throws Exception {
        RunSnapshot run = scripts.run("parent.js", "runOn('all', 'child.groovy', {failOn2: true});");
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error().message()).contains("1 of 3 nodes did not succeed", "n2 FAILED", "n2 broke");
        assertThat(run.children()).extracting(c -> c.get("state")).containsExactlyInAnyOrder("SUCCEEDED", "FAILED", "SUCCEEDED");
    }

    @Test
    void aFanOutParentShowsTheTargetScriptAndMapsNodesToResults() throws Exception {
        RunHandle parent = scripts.coordinator().invoke(InvokeRequest.of("child.groovy", Map.of("x", 1))
                .withFanOut(Map.of("on", "all")));
        RunSnapshot end = parent.await(Duration.ofSeconds(30));
        assertThat(end.script()).isEqualTo("child.groovy");
        assertThat(end.args()).isEqualTo(Map.of("x", 1L));
        assertThat(end.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(end.result()).isEqualTo(Map.of("n1", "hi from n1", "n2", "hi from n2", "n3", "hi from n3"));
        assertThat(end.children()).hasSize(3);
        assertThat(end.statusValues()).containsEntry("fanOut", Map.of("on", "all"));
    }

    @Test
    void nodesListsWhatTheSelectorMatches() throws Exception {
        RunSnapshot run = scripts.run("list.groovy", "nodes('all').collect { it.name }");
        assertThat(run.result()).isEqualTo(List.of("n1", "n2", "n3"));
    }
}
