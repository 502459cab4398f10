package io.steward.web;

import io.steward.gateway.GatewayConfig;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run page's pictures in a real headless Chromium against real runs: the timeline's lanes and marks, events in
 * words, ANSI output and its search, status tables updated in place, and a fan-out's grid of nodes. With
 * {@code -Dsteward.screenshots.write=true} the timeline and the grid are written to docs/console/ for docs/console.md.
 */
class RunPagePicturesTest {
    /** Threads started one after another, each with a known role: the lanes' order is the script's order. */
    private static final String KNOWN_SCRIPT = """
            status.set('phase', 'build')
            status.progress(0.25, 'building')
            spawn { sleep(60); exec(['sh', '-c', 'echo one']) }.join()
            spawn { sleep(60) }.join()
            spawn { exec(['sh', '-c', 'echo "$0"', '\\u001b[31mred\\u001b[0m plain \\u001b[1;32mbold green\\u001b[0m']) }.join()
            status.set('phase', 'test')
            status.event('web-1', 'up')
            shared.put('artifact', 'app.jar')
            status.progress(1.0, 'done')
            'ok'
            """;

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
    void theTimelineHasALanePerThreadAndProcessInStartOrderWithMarksAndTheOutputIsColouredAndSearchable() throws Exception {
        primary.push("known.groovy", KNOWN_SCRIPT);
        Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=60s", Map.of("script", "known.groovy")).json();
        assertThat(run).containsEntry("state", "SUCCEEDED");
        String id = (String) run.get("id");

        console.signIn(primary.server.adminToken());
        console.open("/runs/" + id);
        console.waitForText("run-state", "SUCCEEDED");
        console.wait.until(d -> d.findElements(By.cssSelector("#timeline-chart .tl-lane")).size() == 6);

        // Lanes in the order things started: main, thread 2 and its process, thread 3, thread 4 and its process.
        List<String> lanes = lanes();
        String thread = "thread run-" + id + "/";
        assertThat(lanes).containsExactly(thread + 1, thread + 2, "process", thread + 3, thread + 4, "process");
        List<Long> starts = console.all("#timeline-chart .tl-lane").stream().map(l -> Long.parseLong(l.getDomAttribute("data-start"))).toList();
        assertThat(starts).isSorted();
        assertThat(console.all("#timeline-chart .tl-lane")).allSatisfy(l -> assertThat(l.getDomAttribute("data-outcome")).isEqualTo("ok"));
        // Bars start where their lanes started: each bar's left edge is at or right of the one above.
        List<Double> xs = console.all("#timeline-chart .tl-lane rect").stream().map(r -> Double.parseDouble(r.getDomAttribute("x"))).toList();
        assertThat(xs).isSorted();
        // Every bar says its outcome in words too, not only in colour.
        assertThat(console.texts("#timeline-chart .tl-lane .tl-bartext")).allSatisfy(t -> assertThat(t).startsWith("ok · "));
        // Marks: two status changes, one script event, the state change; the progress line.
        assertThat(console.all("#timeline-chart .tl-mark-status")).hasSize(2);
        assertThat(console.all("#timeline-chart .tl-mark-event")).hasSize(1);
        assertThat(console.all("#timeline-chart .tl-mark-state")).isNotEmpty();
        assertThat(console.all("#timeline-progress")).hasSize(1);
        assertThat(driver.findElement(By.id("timeline-summary")).getText()).startsWith("4 threads and 2 processes");
        // The same lanes as the API gives.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> api = (List<Map<String, Object>>) primary.admin.get("/api/v1/runs/" + id + "/timeline").json().get("lanes");
        assertThat(api).hasSize(6);
        // Who started what: threads 2–4 by the main thread, each process by the thread that ran it.
        assertThat(api).extracting(l -> l.get("parent")).containsExactly(null, "run-" + id + "/1", "run-" + id + "/2",
                "run-" + id + "/1", "run-" + id + "/1", "run-" + id + "/4");

        // Zoom from the keyboard.
        WebElement chart = driver.findElement(By.id("timeline-chart"));
        chart.sendKeys("+");
        console.waitForText("timeline-zoom", "2×");
        chart.sendKeys("0");
        console.waitForText("timeline-zoom", "1×");

        // Events in words, raw JSON one click away.
        console.wait.until(d -> console.texts("#timeline .ev-words").containsAll(List.of("phase → build", "web-1 = up")));
        // The list follows the newest events: its last row is the one in view (the first rows drawn are a margin
        // above it, and clicking one would scroll the list, which then jumps back to the newest).
        console.wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElements(By.cssSelector("#timeline .ev-json")).getLast().click();
            return true;
        });
        console.waitForText("event-raw", "\"kind\": \"state\"");
        assertThat(driver.findElement(By.id("event-raw")).getText()).contains("\"SUCCEEDED\"");

        // ANSI colours as spans, the escape codes gone; search highlights and counts.
        console.wait.until(d -> console.texts("#console .fg-ansi-1").contains("red"));
        assertThat(console.texts("#console .fg-ansi-2.ansi-bold")).contains("bold green");
        assertThat(driver.findElement(By.id("console")).getText()).contains("red plain bold green").doesNotContain("[31m");
        driver.findElement(By.id("output-search")).sendKeys("PLAIN");
        console.waitForText("output-matches", "1 of 1");
        console.wait.until(d -> console.texts("#console mark").contains("plain"));
        driver.findElement(By.id("output-search")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "nothing-like-this");
        console.waitForText("output-matches", "no match");

        // Status values and shared data as tables with the time of each change.
        console.waitForText("status-values", "phase");
        assertThat(driver.findElement(By.cssSelector("#status-values tr[data-key='phase']")).getText()).contains("test");
        assertThat(driver.findElement(By.cssSelector("#status-values tr[data-key='phase'] .kv-time")).getText()).isNotBlank();
        assertThat(driver.findElement(By.cssSelector("#shared tr[data-key='artifact']")).getText()).contains("app.jar");

        if (Boolean.getBoolean("steward.screenshots.write")) {
            ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("document.getElementById('gantt-h').scrollIntoView()");
            write("run-timeline");
        }
    }

    @Test
    void aLiveRunsTablesUpdateInPlaceAndItsTimelineGrows() throws Exception {
        primary.push("live.groovy", """
                status.set('step', 1)
                inbox.take(60000)
                spawn { status.set('step', 2) }.join()
                inbox.take(60000)
                'done'
                """);
        String id = (String) primary.admin.post("/api/v1/runs", Map.of("script", "live.groovy")).json().get("id");
        console.signIn(primary.server.adminToken());
        console.open("/runs/" + id);
        console.wait.until(d -> rowText("step").contains("1"));
        console.wait.until(d -> lanes().size() == 1);
        assertThat(driver.findElement(By.cssSelector("#timeline-chart .tl-lane")).getDomAttribute("data-outcome")).isEqualTo("running");
        // The row is marked; after the change it must be the same element, with the new value.
        driver.executeScript("document.querySelector(\"#status-values tr[data-key='step']\").stewardMark = true");

        primary.admin.post("/api/v1/runs/" + id + "/messages", Map.of("message", "go"));
        console.soon().until(d -> rowText("step").contains("2"));
        assertThat(driver.executeScript("return document.querySelector(\"#status-values tr[data-key='step']\").stewardMark === true"))
                .as("the status row was updated in place").isEqualTo(true);
        console.soon().until(d -> lanes().size() == 2);

        primary.admin.post("/api/v1/runs/" + id + "/messages", Map.of("message", "end"));
        console.waitForText("run-state", "SUCCEEDED");
        console.soon().ignoring(StaleElementReferenceException.class).until(d -> console.all("#timeline-chart .tl-lane").stream()
                .allMatch(l -> "ok".equals(l.getDomAttribute("data-outcome"))));
    }

    @Test
    void aFanOutsGridShowsItsNodesCountsPerStateAndFiltersByStateAndLabel() throws Exception {
        primary.push("hello.groovy", "'hello'");
        agent("web-1", Map.of("role", "web"), false);
        agent("web-2", Map.of("role", "web"), false);
        agent("db-1", Map.of("role", "db"), true);
        Map<String, Object> parent = primary.admin.post("/api/v1/runs?wait=60s", Map.of("script", "hello.groovy", "on", "all")).json();
        String id = (String) parent.get("id");

        console.signIn(primary.server.adminToken());
        console.open("/runs/" + id);
        console.waitForText("run-state", "FAILED");
        console.wait.until(d -> console.all("#fanout-grid .fo-cell").size() == 4);
        Map<String, String> counts = new java.util.TreeMap<>();
        for (WebElement li : console.all("#fanout-counts li")) {
            counts.put(li.getDomAttribute("data-state"), li.getText());
        }
        assertThat(counts).containsEntry("SUCCEEDED", "3 succeeded").containsEntry("FAILED", "1 failed").hasSize(2);
        assertThat(console.texts("#fanout-grid .fo-cell[data-state='FAILED']")).singleElement().asString().contains("db-1").contains("failed");

        new Select(driver.findElement(By.id("fanout-label"))).selectByValue("role=web");
        console.wait.until(d -> console.all("#fanout-grid .fo-cell").size() == 2);
        assertThat(console.texts("#fanout-grid .fo-node")).containsExactlyInAnyOrder("web-1", "web-2");
        new Select(driver.findElement(By.id("fanout-label"))).selectByValue("");
        new Select(driver.findElement(By.id("fanout-state"))).selectByValue("FAILED");
        console.wait.until(d -> console.all("#fanout-grid .fo-cell").size() == 1);
        new Select(driver.findElement(By.id("fanout-state"))).selectByValue("");
        console.wait.until(d -> console.all("#fanout-grid .fo-cell").size() == 4);
        if (Boolean.getBoolean("steward.screenshots.write")) {
            ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("document.getElementById('fanout-h').scrollIntoView()");
            write("fan-out-grid");
        }

        // A cell is a link to the child, reached from the keyboard too.
        WebElement failed = driver.findElement(By.cssSelector("#fanout-grid .fo-cell[data-state='FAILED']"));
        String child = failed.getDomAttribute("href").replace("#/runs/", "");
        failed.sendKeys(Keys.ENTER);
        console.wait.until(d -> d.getCurrentUrl().endsWith("#/runs/" + child));
        console.waitForText("run-state", "FAILED");
    }

    @Test
    void theRunPageFitsAPhoneWidthScreen() throws Exception {
        primary.push("known.groovy", KNOWN_SCRIPT);
        String id = (String) primary.admin.post("/api/v1/runs?wait=60s", Map.of("script", "known.groovy")).json().get("id");
        driver.manage().window().setSize(new Dimension(375, 800));
        console.signIn(primary.server.adminToken());
        console.open("/runs/" + id);
        console.wait.until(d -> d.findElements(By.cssSelector("#timeline-chart .tl-lane")).size() == 6);
        Number page = (Number) driver.executeScript("return document.documentElement.scrollWidth");
        Number view = (Number) driver.executeScript("return document.documentElement.clientWidth");
        assertThat(page.longValue()).as("nothing pushes the page sideways").isLessThanOrEqualTo(view.longValue());
    }

    private void agent(String name, Map<String, Object> labels, boolean fails) {
        String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-" + name, "role", "agent")).json().get("token");
        SimulatedAgent agent = new SimulatedAgent(primary.server.url(), join, name, labels, run -> {
            if (fails) {
                throw new IllegalStateException("disk full on " + name);
            }
            return "done on " + name;
        }, false);
        agents.add(agent);
        agent.join();
    }

    /** The lanes top to bottom, as "thread NAME" or "process". */
    private List<String> lanes() {
        return console.wait.ignoring(StaleElementReferenceException.class).until(d -> d.findElements(By.cssSelector("#timeline-chart .tl-lane"))
                .stream().map(l -> l.getDomAttribute("data-kind").equals("thread") ? "thread " + l.getDomAttribute("data-id") : "process").toList());
    }

    private String rowText(String key) {
        List<String> rows = console.texts("#status-values tr[data-key='" + key + "']");
        return rows.isEmpty() ? "" : rows.getFirst();
    }

    /** docs/console/NAME.png, from the module directory surefire runs in. */
    private void write(String name) throws Exception {
        Path shot = HeadlessChromium.screenshot(driver, name);
        Path docs = Path.of("..", "docs", "console");
        Files.createDirectories(docs);
        Files.copy(shot, docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
