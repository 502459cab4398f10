package io.steward.policy;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import io.steward.testkit.SimulatedAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A script's maxConcurrent counts its runs on every node: a fan-out to three agents under a limit of one starts one
 * child at a time, and a direct invoke of the script queues behind them, not beside them.
 */
class FanOutChildrenShareTheScriptsLimitTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    final List<SimulatedAgent> agents = new ArrayList<>();

    @BeforeEach
    void start() {
        primary = new TestPrimary(ServerConfig.defaults(dir).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
        primary.push("deploy.groovy", "'deployed on ' + node.name");
    }

    @AfterEach
    void stop() {
        agents.forEach(SimulatedAgent::close);
        primary.close();
    }

    @Test
    void childrenOnAgentsStartOneAtATimeUnderALimitOfOne() {
        for (String name : List.of("web-1", "web-2", "web-3")) {
            String token = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-" + name, "role", "agent"))
                    .json().get("token");
            SimulatedAgent a = new SimulatedAgent(primary.server.url(), token, name, Map.of("role", "web"), run -> "ok", true);
            a.join();
            agents.add(a);
        }
        Http.Answer set = Api.put(primary.admin, "/api/v1/scripts/deploy.groovy/policy", Map.of("maxConcurrent", 1, "whenBusy", "reject"));
        assertThat(set.status()).as(set.body()).isEqualTo(200);

        String parent = (String) primary.admin.post("/api/v1/runs", Map.of("script", "deploy.groovy", "on", "role=web"))
                .json().get("id");
        await().until(() -> started().size() == 1);
        // the fan-out starts its children in node order: the next one waits for the slot, the last behind it
        assertThat(primary.admin.get("/api/v1/scripts/deploy.groovy/policy").json()).containsEntry("running", 1).containsEntry("queued", 1);
        // the limit holds for everyone: a direct invoke is refused (reject) while a child runs
        assertThat(primary.admin.post("/api/v1/runs", Map.of("script", "deploy.groovy")).status()).isEqualTo(429);

        for (int n = 1; n <= 3; n++) {
            int count = n;
            await().until(() -> started().size() == count);
            assertThat(running()).as("children running at once").hasSize(1);
            SimulatedAgent holder = running().getFirst();
            String id = holder.runs.keySet().stream().filter(r -> !finished(holder, r)).findFirst().orElseThrow();
            holder.finish(id, false);
        }
        await().until(() -> "SUCCEEDED".equals(primary.admin.get("/api/v1/runs/" + parent).json().get("state")));
        assertThat(primary.admin.get("/api/v1/scripts/deploy.groovy/policy").json()).containsEntry("running", 0).containsEntry("queued", 0);
    }

    private List<SimulatedAgent> started() {
        return agents.stream().filter(a -> !a.runs.isEmpty()).toList();
    }

    private List<SimulatedAgent> running() {
        return agents.stream().filter(a -> a.runs.keySet().stream().anyMatch(r -> !finished(a, r))).toList();
    }

    private static boolean finished(SimulatedAgent a, String id) {
        Object state = a.runs.get(id).get("state");
        return state != null && !"RUNNING".equals(state);
    }
}
