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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The web console in a real headless Chromium against a real primary: the paths people take through it. */
class WebConsoleTest {
    // Long enough to watch live and to cancel; output comes from a real process so the console has lines to follow.
    private static final String LIVE_SCRIPT = """
            status.set('phase', 'working')
            status.progress(0.5, 'half way there')
            def p = start('echo line-one; sleep 1; echo line-two; sleep 600')
            p.waitFor(600000)
            """;

    @TempDir
    Path dir;
    TestPrimary primary;
    ChromeDriver driver;
    Console console;
    final List<SimulatedAgent> agents = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        primary = new TestPrimary(ServerConfig.defaults(dir.resolve("data")).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20))
                .withNode("primary-node", Map.of("role", "primary")));
        driver = HeadlessChromium.start(Files.createDirectories(dir.resolve("chromium-profile")));
        console = new Console(driver, primary.server.url());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        agents.forEach(SimulatedAgent::close);
        primary.close();
    }

    @Test
    void adminPushesInvokesWatchesLiveAndCancels() throws Exception {
        console.signIn(primary.server.adminToken());
        console.waitFor("server-info");
        assertThat(driver.findElement(By.id("server-info")).getText()).contains("primary-node");

        console.open("/scripts");
        console.waitFor("new-script").click();
        console.waitFor("script-name").sendKeys("live.groovy");
        driver.findElement(By.id("script-source")).sendKeys(LIVE_SCRIPT);
        driver.findElement(By.id("push")).click();
        console.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("pre.code")));
        assertThat(driver.findElement(By.cssSelector("pre.code")).getText()).contains("half way there");
        assertThat(primary.admin.get("/api/v1/scripts/live.groovy").json()).containsEntry("version", 1);

        console.waitFor("invoke-this").click();
        console.waitFor("invoke-form");
        new Select(driver.findElement(By.id("invoke-script"))).selectByValue("live.groovy");
        driver.findElement(By.id("add-arg")).click();
        driver.findElement(By.cssSelector(".arg-key")).sendKeys("env");
        driver.findElement(By.cssSelector(".arg-value")).sendKeys("lab");
        driver.findElement(By.id("invoke")).click();
        String id = console.waitForRunPage();

        console.waitForText("run-progress", "half way there");
        console.waitForText("run-progress", "50 %");
        console.waitForText("console", "line-one");
        console.waitForText("console", "line-two");
        console.waitForText("status-values", "working");
        console.waitForText("timeline", "progress");
        console.waitForText("run-state", "RUNNING");
        HeadlessChromium.screenshot(driver, "live-run-page");
        assertThat(primary.admin.get("/api/v1/runs/" + id).json()).containsEntry("args", Map.of("env", "lab"));

        // The event filter narrows the timeline to one kind.
        new Select(driver.findElement(By.id("event-filter"))).selectByValue("output");
        console.wait.until(d -> {
            List<String> shown = console.texts("#timeline .ev");
            return !shown.isEmpty() && shown.stream().allMatch(t -> t.contains("output"));
        });

        // The output pager reads the stored log by offset.
        driver.findElement(By.id("page-first")).click();
        console.waitForText("output-page", "line-one");

        // Every event exactly once and in order: the timeline's sequence numbers are 1, 2, 3, ...
        new Select(driver.findElement(By.id("event-filter"))).selectByValue("");
        // The list redraws on the next frame: until then it still shows the output events only (#7, #8).
        List<String> seqs = console.wait.until(d -> {
            List<String> shown = console.texts("#timeline .ev").stream().map(t -> t.split(" ")[0]).toList();
            return !shown.isEmpty() && shown.getFirst().equals("#1") ? shown : null;
        });
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo("#" + (i + 1));
        }

        console.waitFor("cancel").click();
        console.waitForText("run-state", "CANCELLED");
        assertThat(primary.admin.get("/api/v1/runs/" + id).json()).containsEntry("state", "CANCELLED");
        assertThat(driver.findElements(By.id("cancel"))).as("no cancel on an ended run").isEmpty();
    }

    @Test
    void aFanOutToThreeAgentsShowsThreeChildren() throws Exception {
        primary.push("hello.groovy", "'hello from ' + node.name");
        for (String name : List.of("sim-1", "sim-2", "sim-3")) {
            String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-" + name, "role", "agent")).json().get("token");
            SimulatedAgent agent = new SimulatedAgent(primary.server.url(), join, name, Map.of("role", "sim"), run -> "done on " + name, false);
            agents.add(agent);
            agent.join();
        }
        console.signIn(primary.server.adminToken());
        console.open("/invoke/hello.groovy");
        console.waitFor("invoke-on").sendKeys("role=sim");
        console.waitForText("on-preview", "Matches 3 online nodes: sim-1, sim-2, sim-3");
        driver.findElement(By.id("invoke")).click();
        console.waitForRunPage();
        console.waitForText("run-state", "SUCCEEDED");
        console.waitForText("children-count", "3 children: 3 SUCCEEDED");
        assertThat(console.texts("#children .child")).hasSize(3)
                .allSatisfy(row -> assertThat(row).contains("SUCCEEDED").containsPattern("sim-[123]"));
        HeadlessChromium.screenshot(driver, "fan-out-run-page");
        String first = driver.getCurrentUrl();
        driver.findElement(By.id("rerun")).click();
        org.awaitility.Awaitility.await().until(() -> !driver.getCurrentUrl().equals(first));
        console.waitForText("children-count", "3 children: 3 SUCCEEDED");

        console.open("/nodes");
        console.waitForText("nodes", "sim-3");
        assertThat(driver.findElement(By.id("nodes")).getText()).contains("role=sim").contains("online");
        // A node's own runs: sim-2 ran one child of the fan-out and one of its re-run.
        driver.findElements(By.cssSelector("#nodes button.node-runs")).stream()
                .filter(b -> b.getText().equals("sim-2")).findFirst().orElseThrow().click();
        console.waitForText("runs-of-node", "hello.groovy");
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(console.texts("#runs-of-node tbody tr")).hasSize(2)
                .allSatisfy(row -> assertThat(row).contains("SUCCEEDED")));
    }

    @Test
    void historyShowsADiffBetweenTwoVersions() throws Exception {
        primary.push("deploy.groovy", "def a = 1\nreturn a\n");
        primary.push("deploy.groovy", "def a = 2\nreturn a\n");
        console.signIn(primary.server.adminToken());
        console.open("/scripts/deploy.groovy");
        console.waitFor("history");
        assertThat(driver.findElement(By.cssSelector("pre.code")).getText()).contains("def a = 2");
        new Select(driver.findElement(By.id("diff-left"))).selectByValue("1");
        new Select(driver.findElement(By.id("diff-right"))).selectByValue("2");
        driver.findElement(By.id("show-diff")).click();
        console.waitForText("diff", "2 changed lines");
        assertThat(console.all("#diff .del")).singleElement().satisfies(e -> assertThat(e.getText()).contains("- def a = 1"));
        assertThat(console.all("#diff .add")).singleElement().satisfies(e -> assertThat(e.getText()).contains("+ def a = 2"));
    }

    @Test
    void aThousandRowListRendersOnlyWhatIsVisible() throws Exception {
        console.signIn(primary.server.adminToken());
        // The same windowed list the run page uses for children, fed 1,000 rows in the page itself.
        Object rendered = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/lib/windowed-list.js').then(({ windowedList }) => {
                  const list = windowedList({ id: 'big', label: 'big', rowHeight: 28, height: 240,
                    render: i => { const d = document.createElement('div'); d.textContent = 'child ' + i; return d; } });
                  document.body.append(list.element);
                  list.set(Array.from({ length: 1000 }, (_, i) => i));
                  requestAnimationFrame(() => requestAnimationFrame(() => {
                    list.element.scrollTop = 28 * 500;
                    requestAnimationFrame(() => requestAnimationFrame(() =>
                      done([list.element.querySelectorAll('.wl-row').length, list.element.scrollHeight,
                        [...list.element.querySelectorAll('.wl-row')].some(r => r.textContent === 'child 503')])));
                  }));
                });
                """);
        List<?> facts = (List<?>) rendered;
        assertThat(((Number) facts.get(0)).intValue()).as("rows in the DOM").isBetween(1, 40);
        assertThat(((Number) facts.get(1)).intValue()).as("scrollable height of all rows").isEqualTo(28_000);
        assertThat(facts.get(2)).as("the rows in view after scrolling").isEqualTo(true);
    }

    @Test
    void aViewerSeesNoButtonsThatChangeAnything() throws Exception {
        primary.push("slow.groovy", "sleep(60000)");
        String runId = (String) primary.admin.post("/api/v1/runs", Map.of("script", "slow.groovy")).json().get("id");
        console.signIn(primary.withRole("viewer").token());
        assertThat(driver.findElement(By.id("who")).getText()).contains("viewer");
        assertThat(driver.findElement(By.cssSelector("nav a[href='#/invoke']")).isDisplayed()).isFalse();
        console.waitForText("running-runs", "slow.groovy");

        console.open("/scripts");
        console.waitFor("scripts");
        assertThat(driver.findElements(By.id("new-script"))).isEmpty();
        console.open("/scripts/slow.groovy");
        console.waitFor("history");
        assertThat(driver.findElements(By.id("invoke-this"))).isEmpty();
        assertThat(driver.findElements(By.id("edit"))).isEmpty();

        console.open("/runs/" + runId);
        console.waitForText("run-state", "RUNNING");
        assertThat(driver.findElements(By.id("cancel"))).isEmpty();
        assertThat(driver.findElements(By.id("rerun"))).isEmpty();

        console.open("/nodes");
        console.waitFor("nodes");
        assertThat(driver.findElements(By.cssSelector("button.revoke, button.approve"))).isEmpty();
        primary.admin.post("/api/v1/runs/" + runId + "/cancel", "");
    }
}
