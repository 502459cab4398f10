package io.steward.web;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import io.steward.testkit.SimulatedAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's pictures of many runs, in a real headless Chromium against a real primary with real runs: the
 * dashboard's runs-over-time chart adds up to what {@code GET /api/v1/stats/runs} says and follows a new run live; a
 * script's trend has one bar per recent run in its state's colour and words; the nodes grid groups simulated agents
 * by the label chosen. {@code -Dsteward.screenshots.write=true} copies the screenshots to docs/console/.
 */
class DashboardScriptsAndNodesPicturesTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    ChromeDriver driver;
    Console console;
    final List<SimulatedAgent> agents = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        primary = new TestPrimary(ServerConfig.defaults(dir.resolve("data")).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
        driver = HeadlessChromium.start(Files.createDirectories(dir.resolve("chromium-profile")));
        console = new Console(driver, primary.server.url());
        // Ends as its args say: fails, waits to be cancelled, or succeeds after `ms` milliseconds.
        primary.push("job.groovy", """
                if (args.fail) throw new RuntimeException('told to fail')
                if (args.hold) inbox.take(60000)
                Thread.sleep((args.ms ?: 0) as long)
                'done'
                """);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        agents.forEach(SimulatedAgent::close);
        primary.close();
    }

    private String run(Map<String, Object> args) {
        Http.Answer a = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "job.groovy", "args", args));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return (String) a.json().get("id");
    }

    private String cancelled() {
        String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "job.groovy", "args", Map.of("hold", true)))
                .json().get("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "RUNNING".equals(primary.admin.get("/api/v1/runs/" + id).json().get("state")));
        assertThat(primary.admin.post("/api/v1/runs/" + id + "/cancel", Map.of()).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "CANCELLED".equals(primary.admin.get("/api/v1/runs/" + id).json().get("state")));
        return id;
    }

    /** The runs-over-time chart as drawn: the sum of its segments' counts per state. */
    private Map<String, Long> chartTotals() {
        return console.wait.ignoring(StaleElementReferenceException.class).until(d -> {
            Map<String, Long> sums = new TreeMap<>();
            for (WebElement seg : d.findElements(By.cssSelector("#runs-chart rect.seg"))) {
                sums.merge(seg.getAttribute("data-state"), Long.parseLong(seg.getAttribute("data-count")), Long::sum);
            }
            return sums;
        });
    }

    /** The API's totals for the window the chart shows (its card says where that starts), zero counts left out. */
    private Map<String, Long> apiTotals() {
        String since = driver.findElement(By.id("runs-chart-card")).getAttribute("data-since");
        Http.Answer a = primary.admin.get("/api/v1/stats/runs?bucket=hour&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        Map<String, Long> totals = new TreeMap<>();
        TestPrimary.map(a.json().get("totals")).forEach((state, n) -> {
            if (((Number) n).longValue() > 0) {
                totals.put(state, ((Number) n).longValue());
            }
        });
        return totals;
    }

    @Test
    void theDashboardChartAddsUpToTheApiStatisticsAndFollowsANewRunLive() throws Exception {
        for (int ms : List.of(50, 120, 300)) {
            run(Map.of("ms", ms));
        }
        run(Map.of("fail", true));
        run(Map.of("fail", true));
        cancelled();

        console.signIn(primary.server.adminToken());
        console.waitFor("runs-chart");
        console.waitForLive();
        Map<String, Long> expected = Map.of("CANCELLED", 1L, "FAILED", 2L, "SUCCEEDED", 3L);
        console.soon().until(d -> chartTotals().equals(expected));
        assertThat(apiTotals()).isEqualTo(chartTotals());
        assertThat(console.texts("#runs-totals")).singleElement().asString()
                .contains("6 runs ended", "3 succeeded", "2 failed", "1 cancelled");
        // Every state is named in words next to its pattern, not by colour alone.
        assertThat(console.texts("#runs-legend li")).containsExactly("succeeded", "failed", "timed out", "cancelled", "lost");
        // The column of the hour the runs ended in says its counts in words, and has its p50/p95 point. (Runs that
        // straddle the turn of an hour are in two columns: then each says its own share.)
        List<WebElement> filled = driver.findElements(By.cssSelector("#runs-chart g.col")).stream()
                .filter(c -> !c.findElements(By.cssSelector("rect.seg")).isEmpty()).toList();
        assertThat(filled).hasSizeBetween(1, 2);
        assertThat(driver.findElements(By.cssSelector("#durations-chart g.pt"))).hasSameSizeAs(filled);
        if (filled.size() == 1) {
            assertThat(filled.getFirst().findElement(By.tagName("title")).getAttribute("textContent"))
                    .contains("6 runs", "3 succeeded", "2 failed", "1 cancelled");
            assertThat(driver.findElement(By.cssSelector("#durations-chart g.pt title")).getAttribute("textContent"))
                    .contains("p50", "p95", "(6 runs)");
        }
        WebElement lastColumn = driver.findElements(By.cssSelector("#runs-chart g.col")).getLast();
        assertThat(lastColumn.getAttribute("tabindex")).isEqualTo("0");

        // Keyboard: focus the last column, arrows move between columns.
        driver.executeScript("arguments[0].focus()", lastColumn);
        driver.switchTo().activeElement().sendKeys(Keys.ARROW_LEFT);
        List<WebElement> columns = driver.findElements(By.cssSelector("#runs-chart g.col"));
        assertThat(driver.switchTo().activeElement()).isEqualTo(columns.get(columns.size() - 2));
        assertThat(columns).as("one Tab stop: the focused column").filteredOn(c -> "0".equals(c.getAttribute("tabindex")))
                .containsExactly(columns.get(columns.size() - 2));
        driver.switchTo().activeElement().sendKeys(Keys.END);
        assertThat(driver.switchTo().activeElement()).isEqualTo(columns.getLast());
        String focusedHour = columns.getLast().getAttribute("data-key");

        console.markDocument();
        run(Map.of("fail", true));
        Map<String, Long> afterOneMore = Map.of("CANCELLED", 1L, "FAILED", 3L, "SUCCEEDED", 3L);
        console.soon().until(d -> chartTotals().equals(afterOneMore));
        assertThat(apiTotals()).isEqualTo(afterOneMore);
        assertThat(console.sameDocument()).as("the dashboard was not reloaded").isTrue();
        assertThat(driver.switchTo().activeElement().getAttribute("data-key")).as("the redraw kept the keyboard focus")
                .isEqualTo(focusedHour);
        screenshot("dashboard");

        driver.findElement(By.id("range-7d")).click();
        console.wait.until(d -> "true".equals(d.findElement(By.id("range-7d")).getAttribute("aria-pressed")));
        console.soon().until(d -> driver.findElements(By.cssSelector("#runs-chart g.col")).size() == 7);
        assertThat(chartTotals()).isEqualTo(afterOneMore).isEqualTo(apiTotals());
        assertThat(driver.findElements(By.cssSelector("#durations-chart g.pt"))).hasSizeBetween(1, 2);

        atPhoneWidth(() -> {
            assertThat(driver.findElement(By.id("runs-chart")).getSize().getWidth()).isLessThanOrEqualTo(375);
            assertThat(chartTotals()).isEqualTo(afterOneMore);
            screenshot("dashboard-phone");
        });
    }

    @Test
    void aScriptsTrendHasOneBarPerRecentRunInItsStatesColourAndWords() throws Exception {
        List<String> ids = new ArrayList<>();
        ids.add(run(Map.of("ms", 300)));
        ids.add(run(Map.of("fail", true)));
        ids.add(run(Map.of("ms", 900)));
        ids.add(cancelled());
        ids.add(run(Map.of("ms", 0)));

        console.signIn(primary.server.adminToken());
        console.open("/scripts/job.groovy");
        console.waitFor("trend-chart");
        List<String> states = List.of("SUCCEEDED", "FAILED", "SUCCEEDED", "CANCELLED", "SUCCEEDED");
        List<WebElement> bars = driver.findElements(By.cssSelector("#trend-chart a.bar"));
        assertThat(bars).hasSize(5);
        for (int i = 0; i < bars.size(); i++) {
            WebElement bar = bars.get(i);
            assertThat(bar.getAttribute("data-run")).as("bar %d, oldest left", i).isEqualTo(ids.get(i));
            assertThat(bar.getAttribute("data-state")).isEqualTo(states.get(i));
            assertThat(bar.findElement(By.cssSelector("rect.seg")).getAttribute("fill"))
                    .isEqualTo("url(#st-" + states.get(i).toLowerCase() + ")");
            assertThat(bar.getAttribute("aria-label")).contains(ids.get(i), states.get(i).toLowerCase());
        }
        // The longest run has the tallest bar.
        assertThat(barHeight(bars.get(2))).isGreaterThan(barHeight(bars.get(0))).isGreaterThan(barHeight(bars.get(4)));
        assertThat(console.texts("#success-rate")).singleElement().asString().contains("60 %", "3 of 5");
        screenshot("script-trend");

        // Live: a new run becomes the newest bar, on the right, without a reload.
        console.markDocument();
        String newest = run(Map.of("fail", true));
        console.soon().ignoring(StaleElementReferenceException.class).until(d -> {
            List<WebElement> now = d.findElements(By.cssSelector("#trend-chart a.bar"));
            return now.size() == 6 && newest.equals(now.getLast().getAttribute("data-run"))
                    && "FAILED".equals(now.getLast().getAttribute("data-state"));
        });
        console.waitForText("success-rate", "50 %");
        assertThat(console.sameDocument()).isTrue();

        // A bar is a link: Enter on it opens its run.
        WebElement second = driver.findElements(By.cssSelector("#trend-chart a.bar")).get(1);
        driver.executeScript("arguments[0].focus()", second);
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        assertThat(console.waitForRunPage()).isEqualTo(ids.get(1));
    }

    private static double barHeight(WebElement bar) {
        return Double.parseDouble(bar.findElement(By.cssSelector("rect.seg")).getAttribute("height"));
    }

    @Test
    void theNodesGridGroupsSimulatedAgentsByTheChosenLabel() throws Exception {
        Map<String, String> roles = Map.of("sim-1", "web", "sim-2", "web", "sim-3", "db");
        for (String name : List.of("sim-1", "sim-2", "sim-3")) {
            String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-" + name, "role", "agent")).json().get("token");
            SimulatedAgent agent = new SimulatedAgent(primary.server.url(), join, name,
                    Map.of("role", roles.get(name), "zone", name.equals("sim-1") ? "a" : "b"), run -> "ok", false);
            agents.add(agent);
            agent.join();
        }
        String primaryName = (String) primary.admin.get("/api/v1/server").json().get("name");
        console.signIn(primary.server.adminToken());
        console.open("/nodes");
        console.waitForLive();
        console.soon().until(d -> d.findElements(By.cssSelector("#node-grid .cell")).size() == 4);

        new Select(driver.findElement(By.id("group-by"))).selectByValue("role");
        console.soon().until(d -> groups().keySet().equals(java.util.Set.of("role=db", "role=web", "no role")));
        Map<String, List<String>> groups = groups();
        assertThat(groups.get("role=web")).containsExactly("sim-1", "sim-2");
        assertThat(groups.get("role=db")).containsExactly("sim-3");
        assertThat(groups.get("no role")).containsExactly(primaryName);
        assertThat(console.texts("#node-grid .cell[data-node='sim-1']")).singleElement().asString()
                .contains("sim-1", "online", "load", "0 running");
        screenshot("nodes-grid");

        new Select(driver.findElement(By.id("group-by"))).selectByValue("zone");
        console.soon().until(d -> groups().keySet().equals(java.util.Set.of("zone=a", "zone=b", "no zone")));
        assertThat(groups().get("zone=b")).containsExactly("sim-2", "sim-3");

        // Live: an agent whose link is cut turns offline in its cell, and the grouping stays.
        console.markDocument();
        agents.get(2).cut();
        console.soon().ignoring(StaleElementReferenceException.class).until(d ->
                "offline".equals(d.findElement(By.cssSelector("#node-grid .cell[data-node='sim-3']")).getAttribute("data-state")));
        assertThat(groups().keySet()).contains("zone=a", "zone=b");
        assertThat(console.sameDocument()).isTrue();

        // Keyboard: a cell is a button; Enter shows the node's runs.
        WebElement cell = driver.findElement(By.cssSelector("#node-grid .cell[data-node='sim-1']"));
        driver.executeScript("arguments[0].focus()", cell);
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        console.waitForText("node-runs", "Runs on sim-1");

        atPhoneWidth(() -> screenshot("nodes-grid-phone"));
    }

    /** Group title → the node names of its cells, in order. */
    private Map<String, List<String>> groups() {
        return console.wait.ignoring(StaleElementReferenceException.class).until(d -> {
            Map<String, List<String>> out = new TreeMap<>();
            for (WebElement group : d.findElements(By.cssSelector("#node-grid .grid-group"))) {
                out.put(group.getAttribute("data-group"), group.findElements(By.cssSelector(".cell")).stream()
                        .map(c -> c.getAttribute("data-node")).toList());
            }
            return out;
        });
    }

    /** Runs {@code check} at 375 px wide, after asserting that nothing overflows the page sideways. */
    private void atPhoneWidth(Runnable check) {
        Dimension desktop = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new Dimension(375, 812));
            console.wait.until(d -> ((Number) driver.executeScript("return window.innerWidth")).intValue() <= 375);
            console.wait.until(d -> ((Number) driver.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")).longValue() <= 0);
            check.run();
        } finally {
            driver.manage().window().setSize(desktop);
        }
    }

    /** target/screenshots always; docs/console/ too with -Dsteward.screenshots.write=true (docs/console.md shows them). */
    private void screenshot(String name) {
        Path shot = HeadlessChromium.screenshot(driver, name);
        if (Boolean.getBoolean("steward.screenshots.write")) {
            try {
                Path docs = Files.createDirectories(Path.of("..", "docs", "console"));
                Files.copy(shot, docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
