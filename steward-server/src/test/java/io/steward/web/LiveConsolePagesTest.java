package io.steward.web;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.TestPrimary;
import io.steward.testkit.SimulatedAgent;
import io.steward.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pages that follow the server live, in a real headless Chromium: the dashboard and the nodes page change as runs
 * and nodes do, without a reload, and a run page whose event stream is cut picks up where it was.
 */
class LiveConsolePagesTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    ChromeDriver driver;
    Console console;
    SimulatedAgent agent;
    DroppingProxy proxy;

    @BeforeEach
    void start() throws Exception {
        primary = new TestPrimary(ServerConfig.defaults(dir.resolve("data")).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
        driver = HeadlessChromium.start(Files.createDirectories(dir.resolve("chromium-profile")));
        console = new Console(driver, primary.server.url());
    }

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (agent != null) {
            agent.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        primary.close();
    }

    /** The row of one run in a dashboard list, found by its link; re-read whole when the page redraws meanwhile. */
    private boolean listed(String listCss, String runId, String text) {
        return console.soon().ignoring(StaleElementReferenceException.class).until(d -> d.findElements(By.cssSelector(listCss + " li")).stream()
                .anyMatch(li -> !li.findElements(By.cssSelector("a[href='#/runs/" + runId + "']")).isEmpty() && li.getText().contains(text)));
    }

    @Test
    void theDashboardShowsARunStartAndFailWithoutAReload() throws Exception {
        primary.push("waits.groovy", "def m = inbox.take(60000); if (m == 'fail') throw new RuntimeException('told to fail'); 'done'");
        console.signIn(primary.server.adminToken());
        console.waitFor("server-info");
        console.waitForLive();
        console.markDocument();

        String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "waits.groovy")).json().get("id");
        assertThat(listed("#running-runs", id, "waits.groovy")).isTrue();

        primary.admin.post("/api/v1/runs/" + id + "/messages", Map.of("message", "fail"));
        assertThat(listed("#d-failed + ul", id, "FAILED")).isTrue();
        console.soon().until(d -> d.findElements(By.cssSelector("#running-runs a[href='#/runs/" + id + "']")).isEmpty());
        assertThat(console.sameDocument()).as("the dashboard was not reloaded").isTrue();
        assertThat(driver.findElement(By.id("live-status")).getAttribute("data-state")).isEqualTo("live");
    }

    @Test
    void whileItsChangeStreamIsRefusedTheDashboardPollsThenGoesLiveAgain() throws Exception {
        proxy = new DroppingProxy(primary.server.url());
        Console viaProxy = new Console(driver, proxy.url());
        primary.push("waits.groovy", "inbox.take(60000); 'done'");
        viaProxy.signIn(primary.server.adminToken());
        viaProxy.waitFor("server-info");
        viaProxy.waitForLive();
        viaProxy.markDocument();

        proxy.refuse("/api/v1/changes");
        proxy.dropAll();
        viaProxy.wait.until(d -> "polling".equals(d.findElement(By.id("live-status")).getAttribute("data-state")));
        String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "waits.groovy")).json().get("id");
        // The fallback poll (every 10 s) finds it: the long wait, not the short one.
        viaProxy.wait.ignoring(StaleElementReferenceException.class).until(d ->
                !d.findElements(By.cssSelector("#running-runs a[href='#/runs/" + id + "']")).isEmpty());

        proxy.refuse(null);
        viaProxy.waitForLive();
        primary.admin.post("/api/v1/runs/" + id + "/messages", Map.of("message", "done"));
        viaProxy.soon().until(d -> d.findElements(By.cssSelector("#running-runs a[href='#/runs/" + id + "']")).isEmpty());
        assertThat(viaProxy.sameDocument()).as("the dashboard was not reloaded").isTrue();
    }

    @Test
    void theNodesPageShowsAnAgentGoOfflineAndComeBack() throws Exception {
        String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-sim-1", "role", "agent")).json().get("token");
        agent = new SimulatedAgent(primary.server.url(), join, "sim-1", Map.of("role", "sim"), run -> "ok", false);
        agent.join();
        console.signIn(primary.server.adminToken());
        console.open("/nodes");
        console.waitForLive();
        String row = "#nodes tr[data-node='sim-1']";
        console.soon().until(d -> console.texts(row).stream().anyMatch(t -> t.contains("online")));
        console.markDocument();

        agent.cut();
        console.soon().until(d -> console.texts(row).stream().anyMatch(t -> t.contains("offline")));
        agent.join();
        console.soon().until(d -> console.texts(row).stream().anyMatch(t -> t.contains("online")));
        assertThat(console.sameDocument()).as("the nodes page was not reloaded").isTrue();
    }

    @Test
    void aRunPageWhoseStreamIsCutResumesAfterTheLastEventItSaw() throws Exception {
        proxy = new DroppingProxy(primary.server.url());
        Console viaProxy = new Console(driver, proxy.url());
        primary.push("two-halves.groovy", """
                (1..10).each { status.set('n', it) }
                inbox.take(60000)
                (11..20).each { status.set('n', it) }
                'done'
                """);
        String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "two-halves.groovy")).json().get("id");
        viaProxy.signIn(primary.server.adminToken());
        viaProxy.open("/runs/" + id);
        viaProxy.waitForText("status-values", "10");
        viaProxy.wait.until(d -> viaProxy.texts("#timeline .ev").stream().anyMatch(t -> t.contains("status")));
        viaProxy.markDocument();

        proxy.dropAll();
        primary.admin.post("/api/v1/runs/" + id + "/messages", Map.of("message", "go on"));

        viaProxy.waitForText("run-state", "SUCCEEDED");
        long lastSeq = ((Number) primary.admin.get("/api/v1/runs/" + id).json().get("lastSeq")).longValue();
        // Every event once: the timeline holds lastSeq rows (24 px each) and its last rows are the last events.
        viaProxy.wait.until(d -> Long.parseLong(d.findElement(By.id("timeline")).getDomProperty("scrollHeight")) == 24 * lastSeq);
        List<String> tail = viaProxy.texts("#timeline .ev").stream().map(t -> t.split(" ")[0]).toList();
        assertThat(tail.getLast()).isEqualTo("#" + lastSeq);
        for (int i = 1; i < tail.size(); i++) {
            assertThat(tail.get(i)).isEqualTo("#" + (Long.parseLong(tail.get(i - 1).substring(1)) + 1));
        }
        assertThat(viaProxy.sameDocument()).as("the run page was not reloaded").isTrue();
        assertThat(proxy.sent()).as("the browser's reconnect asked to resume")
                .anyMatch(s -> s.contains("/api/v1/runs/" + id + "/events") && s.contains("Last-Event-ID: "));
    }
}
