package io.steward.web;

import io.steward.gateway.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The console's last three promises, in a real headless Chromium over one shared set of known runs
 * ({@link KnownRunsConsole}): the output download link saves the run's whole output, every page fits a phone's
 * width and a desktop's, and every picture can be used with the keyboard alone, showing where the focus is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleDownloadWidthAndKeyboardTest {
    @TempDir
    static Path dir;
    KnownRunsConsole fx;
    Console console;

    @BeforeAll
    void start() {
        fx = new KnownRunsConsole(dir);
        console = fx.console;
    }

    @AfterAll
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void theDownloadLinkSavesTheRunsWholeOutputAsAFileNamedAfterTheRun() throws Exception {
        String id = fx.longRun;
        // The whole output as the API pages it, 64 KiB at a time as the console's pager does: more than one page.
        ByteArrayOutputStream pages = new ByteArrayOutputStream();
        long offset = 0;
        int count = 0;
        for (;;) {
            count++;
            HttpResponse<byte[]> page = bytes("/api/v1/runs/" + id + "/output?offset=" + offset + "&limit=65536", fx.primary.admin);
            pages.writeBytes(page.body());
            long next = Long.parseLong(page.headers().firstValue("X-Next-Offset").orElseThrow());
            if (page.headers().firstValue("X-More").orElseThrow().equals("false") || next == offset) {
                break;
            }
            offset = next;
        }
        assertThat(count).as("output pages").isGreaterThan(1);
        byte[] whole = pages.toByteArray();
        assertThat(new String(whole, StandardCharsets.UTF_8).lines()).containsExactlyElementsOf(KnownRunsConsole.longRunLines());

        show("/runs/" + id);
        console.waitForText("run-state", "SUCCEEDED");
        WebElement link = console.waitFor("output-download");
        link.click();
        Path file = fx.downloads.resolve("run-" + id + ".log");
        // Chromium writes NAME.crdownload and renames it when done.
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file) && downloaded().size() == 1);
        assertThat(downloaded()).containsExactly(file);
        assertThat(Files.readAllBytes(file)).as("the downloaded file is the whole output, byte for byte").isEqualTo(whole);

        // The link's address is the file itself: with the token the server names it, without one it gives nothing
        // (the token is never in the link, where a copied link would carry it off).
        String href = link.getDomProperty("href");
        assertThat(href).startsWith(fx.primary.server.url()).doesNotContain(fx.primary.server.adminToken());
        String path = URI.create(href).getRawPath();
        HttpResponse<byte[]> direct = bytes(path, fx.primary.admin);
        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(direct.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"run-" + id + ".log\"");
        assertThat(direct.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(direct.body()).isEqualTo(whole);
        assertThat(bytes(path, fx.primary.admin.as(null)).statusCode()).isEqualTo(401);
    }

    @Test
    void everyPageFitsAPhoneAndADesktopWithoutScrollingSideways() {
        // Each page with what must be in sight on it.
        Map<String, List<String>> pages = new LinkedHashMap<>();
        pages.put("/", List.of("#runs-chart", "#durations-chart", "#range-7d", "#server-info"));
        pages.put("/scripts", List.of("#scripts a", "#scripts th"));
        pages.put("/scripts/job.groovy", List.of("#trend-chart", "#success-rate", "#history"));
        pages.put("/runs/" + fx.longRun, List.of("#timeline-chart .tl-group", "#timeline-zoom-in", "#timeline", "#output-download", "#console"));
        pages.put("/runs/" + fx.fanOut, List.of("#fanout-grid .fo-cell", "#fanout-counts", "#fanout-label"));
        pages.put("/nodes", List.of("#node-grid .cell", "#group-by", "#nodes th"));
        // And the pages without pictures.
        pages.put("/runs", List.of("#runs a", "#runs th"));
        pages.put("/invoke/job.groovy", List.of("#invoke-script", "#invoke-on", "#invoke"));
        pages.put("/coordination", List.of("#live-status", "main h2"));
        Dimension before = fx.driver.manage().window().getSize();
        try {
            for (Dimension size : List.of(new Dimension(375, 740), new Dimension(1280, 900))) {
                fx.driver.manage().window().setSize(size);
                console.wait.until(d -> width() == size.getWidth());
                for (var page : pages.entrySet()) {
                    show(page.getKey());
                    for (String css : page.getValue()) {
                        console.wait.ignoring(StaleElementReferenceException.class)
                                .until(d -> !d.findElements(By.cssSelector(css)).isEmpty() && d.findElement(By.cssSelector(css)).isDisplayed());
                    }
                    String where = page.getKey() + " at " + size.getWidth() + " px";
                    // Charts redraw for the new width a frame or two after it: wait for the page to settle.
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pageWidth())
                            .as("%s: the page is wider than the window; too wide: %s", where, tooWide()).isLessThanOrEqualTo(width()));
                    for (String css : page.getValue()) {
                        // Found, scrolled to and measured in one go: a live page may redraw it at any moment.
                        @SuppressWarnings("unchecked")
                        Map<String, Number> box = (Map<String, Number>) fx.driver.executeScript("""
                                const e = document.querySelector(arguments[0]);
                                e.scrollIntoView({block: 'center', inline: 'nearest'});
                                const r = e.getBoundingClientRect();
                                return {left: r.left, right: r.right, width: r.width};""", css);
                        assertThat(box.get("width").doubleValue()).as("%s: %s has a width", where, css).isPositive();
                        assertThat(box.get("left").doubleValue()).as("%s: %s starts in sight", where, css).isGreaterThanOrEqualTo(0);
                        assertThat(box.get("right").doubleValue()).as("%s: %s ends in sight", where, css).isLessThanOrEqualTo(width() + 0.5);
                    }
                    HeadlessChromium.screenshot(fx.driver, "width-" + size.getWidth() + page.getKey().replaceAll("[^A-Za-z0-9]+", "-"));
                }
            }
        } finally {
            fx.driver.manage().window().setSize(before);
        }
    }

    @Test
    void everyPictureWorksFromTheKeyboardAloneWithTheFocusInSight() {
        // Run page: zoom the timeline, open and close its group of threads, show and hide an event's raw JSON.
        showAndFocusMain("/runs/" + fx.longRun, "#timeline-chart .tl-group");
        console.waitForText("run-state", "SUCCEEDED");
        tabTo("#timeline-chart");
        keys("+");
        console.waitForText("timeline-zoom", "2×");
        keys("-");
        console.waitForText("timeline-zoom", "1×");
        tabTo(".tl-group");
        assertThat(activeAttribute("aria-expanded")).isEqualTo("false");
        assertThat(console.all("#timeline-chart .tl-lane")).as("main thread and its process; the rest folded").hasSize(2);
        keys(Keys.ENTER);
        console.wait.until(d -> "true".equals(activeAttribute("aria-expanded")));
        assertThat(console.all("#timeline-chart .tl-lane")).hasSize(2 + KnownRunsConsole.THREADS);
        assertFocusVisible(".tl-group, open");
        keys(Keys.SPACE);
        console.wait.until(d -> "false".equals(activeAttribute("aria-expanded")));
        assertThat(console.all("#timeline-chart .tl-lane")).hasSize(2);

        tabTo("#timeline .ev-json");
        String label = activeAttribute("aria-label");
        String seq = label.replaceAll("\\D+", "");
        keys(Keys.ENTER);
        console.waitForText("event-raw", "\"seq\": " + seq);
        console.wait.until(d -> "true".equals(activeAttribute("aria-expanded")));
        assertThat(activeAttribute("aria-label")).as("the focus stayed on the event's button").isEqualTo(label);
        keys(Keys.ENTER);
        console.wait.until(d -> !d.findElement(By.id("event-raw")).isDisplayed());
        assertThat(activeAttribute("aria-expanded")).isEqualTo("false");

        // Fan-out: a cell of the grid opens its child run.
        showAndFocusMain("/runs/" + fx.fanOut, "#fanout-grid .fo-cell");
        tabTo("#fanout-grid .fo-cell");
        String child = activeAttribute("href");
        keys(Keys.ENTER);
        console.wait.until(d -> d.getCurrentUrl().endsWith(child));

        // Dashboard: from one range button to the other and back, then along the chart's columns.
        showAndFocusMain("/", "#runs-chart g.col");
        tabTo("#range-24h");
        keys(Keys.TAB);
        assertThat(activeAttribute("id")).isEqualTo("range-7d");
        assertFocusVisible("#range-7d");
        keys(Keys.SPACE);
        console.wait.until(d -> "true".equals(d.findElement(By.id("range-7d")).getDomAttribute("aria-pressed")));
        console.wait.until(d -> d.findElements(By.cssSelector("#runs-chart g.col")).size() == 7);
        new Actions(fx.driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
        assertThat(activeAttribute("id")).isEqualTo("range-24h");
        keys(Keys.ENTER);
        console.wait.until(d -> d.findElements(By.cssSelector("#runs-chart g.col")).size() == 24);
        tabTo("#runs-chart g.col");
        String newest = activeAttribute("data-key");
        keys(Keys.ARROW_LEFT);
        assertThat(activeAttribute("data-key")).isNotEqualTo(newest);
        assertFocusVisible("a column after an arrow key");

        // A script's trend: one Tab stop (the newest run), arrows to an older one, Enter opens it.
        showAndFocusMain("/scripts/job.groovy", "#trend-chart a.bar");
        tabTo("#trend-chart a.bar");
        assertThat(activeAttribute("data-run")).as("the newest run's bar").isEqualTo(fx.jobRuns.getLast());
        keys(Keys.ARROW_LEFT);
        assertThat(activeAttribute("data-run")).isEqualTo(fx.jobRuns.get(1));
        assertFocusVisible("a trend bar after an arrow key");
        keys(Keys.ENTER);
        assertThat(console.waitForRunPage()).isEqualTo(fx.jobRuns.get(1));

        // Nodes: a cell shows its node's runs.
        showAndFocusMain("/nodes", "#node-grid .cell");
        tabTo("#node-grid .cell");
        String node = activeAttribute("data-node");
        keys(Keys.ENTER);
        console.waitForText("node-runs", "Runs on " + node);
    }

    /** Opens a page (from another one when it is already shown) and waits until the router has focused main. */
    private void show(String route) {
        if (fx.driver.getCurrentUrl().endsWith("#" + route)) {
            console.open("/runs");
            console.waitFor("runs");
        }
        console.open(route);
    }

    private void showAndFocusMain(String route, String ready) {
        show(route);
        new WebDriverWait(fx.driver, Duration.ofSeconds(30)).withMessage("the page shows " + ready)
                .until(d -> !d.findElements(By.cssSelector(ready)).isEmpty());
        new WebDriverWait(fx.driver, Duration.ofSeconds(30)).withMessage(() -> "the focus is on " + active())
                .until(d -> "main".equals(activeAttribute("id")));
    }

    /**
     * Presses Tab until the focus is on an element matching {@code css}, and checks that it shows; fails naming
     * the stops it went through when there are more than 120 of them first.
     */
    private void tabTo(String css) {
        List<String> stops = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            keys(Keys.TAB);
            if (Boolean.TRUE.equals(fx.driver.executeScript("return document.activeElement.matches(arguments[0])", css))) {
                assertFocusVisible(css);
                return;
            }
            stops.add(active());
        }
        fail("Tab never reached %s; it went through %s", css, stops);
    }

    /** The focused element draws a focus ring: it matches :focus-visible and has an outline of 2 px or more. */
    private void assertFocusVisible(String what) {
        @SuppressWarnings("unchecked")
        Map<String, Object> focus = (Map<String, Object>) fx.driver.executeScript("const e = document.activeElement, "
                + "s = getComputedStyle(e); return {visible: e.matches(':focus-visible'), style: s.outlineStyle, "
                + "width: parseFloat(s.outlineWidth), tag: e.tagName}");
        assertThat(focus).as("focus on %s", what).containsEntry("visible", true);
        assertThat((String) focus.get("style")).as("outline of %s", what).isNotEqualTo("none");
        assertThat(((Number) focus.get("width")).doubleValue()).as("outline width of %s", what).isGreaterThanOrEqualTo(2);
        // For a look at the rings themselves (target/screenshots/focus-*.png).
        HeadlessChromium.screenshot(fx.driver, "focus-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
    }

    /** The focused element as tag#id.class. */
    private String active() {
        return (String) fx.driver.executeScript("const e = document.activeElement; "
                + "return e.tagName + (e.id ? '#' + e.id : '') + (e.getAttribute('class') ? '.' + e.getAttribute('class') : '')");
    }

    private void keys(CharSequence keys) {
        new Actions(fx.driver).sendKeys(keys).perform();
    }

    private String activeAttribute(String name) {
        return (String) fx.driver.executeScript("return document.activeElement.getAttribute(arguments[0])", name);
    }

    private long width() {
        return ((Number) fx.driver.executeScript("return window.innerWidth")).longValue();
    }

    private long pageWidth() {
        return ((Number) fx.driver.executeScript("return document.documentElement.scrollWidth")).longValue();
    }

    /** The elements that reach past the window's right edge, innermost first: what to fix when a page overflows. */
    private Object tooWide() {
        return fx.driver.executeScript("""
                const w = window.innerWidth, out = [];
                for (const e of document.querySelectorAll('body *')) {
                  const r = e.getBoundingClientRect();
                  if (r.right > w + 0.5 && r.width > 0 && ![...e.children].some(c => c.getBoundingClientRect().right > w + 0.5))
                    out.push(e.tagName + (e.id ? '#' + e.id : '') + (e.getAttribute('class') ? '.' + e.getAttribute('class') : '') + ' ' + Math.round(r.right));
                }
                return out.slice(0, 12);""");
    }

    private List<Path> downloaded() throws IOException {
        try (Stream<Path> files = Files.list(fx.downloads)) {
            return files.toList();
        }
    }

    private static HttpResponse<byte[]> bytes(String path, Http client) {
        try {
            return client.client().send(client.request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
