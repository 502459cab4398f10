package io.steward.web;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark of issue 16: the page of a run of 1,000 script threads renders in under a second in headless
 * Chromium. Measured in the page from the navigation (the hash change) to the timeline drawn with its folded group
 * and the status table filled, five times after a warm-up; the median is printed, and held to the limit when run as
 * the benchmark ({@code -Dsteward.bench=true}, which {@code bench/run --only console} sets).
 */
@Tag("bench")
class AThousandThreadRunPageRendersInASecondTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    ChromeDriver driver;
    Console console;

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
        primary.close();
    }

    @Test
    void theRunPageOfAThousandThreadsRendersInUnderASecond() throws Exception {
        primary.push("thousand.groovy", """
                status.set('phase', 'fan')
                def done = parallel((1..1000).toList()) { i -> sleep(10); if (i % 100 == 0) status.set('done', i); i }
                status.progress(1.0, 'all')
                done.size()
                """);
        Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=120s", Map.of("script", "thousand.groovy")).json();
        assertThat(run).containsEntry("state", "SUCCEEDED");
        String id = (String) run.get("id");
        console.signIn(primary.server.adminToken());
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));

        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            console.open("/runs");
            console.waitFor("runs");
            double ms = ((Number) driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const t0 = performance.now();
                    const drawn = () => document.querySelector('#timeline-chart .tl-group')
                      && document.querySelector("#status-values tr[data-key='phase']");
                    const check = () => drawn() ? done(performance.now() - t0) : requestAnimationFrame(check);
                    location.hash = '#/runs/' + arguments[0];
                    requestAnimationFrame(check);
                    """, id)).doubleValue();
            if (i > 0) {
                times.add(ms); // the first load warms the browser's module cache and the server's JIT
            }
        }
        assertThat(driver.findElement(By.id("timeline-summary")).getText()).startsWith("1001 threads");
        // A click opens the folded group: a lane per thread.
        driver.findElement(By.cssSelector("#timeline-chart .tl-group")).click();
        console.wait.until(d -> d.findElements(By.cssSelector("#timeline-chart .tl-lane")).size() == 1001);
        // And the keyboard closes it: the group lane is focusable and Enter toggles it.
        driver.executeScript("document.querySelector('#timeline-chart .tl-group').focus()");
        new org.openqa.selenium.interactions.Actions(driver).sendKeys(org.openqa.selenium.Keys.ENTER).perform();
        console.wait.until(d -> d.findElements(By.cssSelector("#timeline-chart .tl-lane")).size() == 1);
        assertThat(driver.findElement(By.cssSelector("#timeline-chart .tl-group")).getDomAttribute("aria-expanded")).isEqualTo("false");
        if (Boolean.getBoolean("steward.screenshots.write")) {
            driver.executeScript("document.getElementById('gantt-h').scrollIntoView()");
            Path shot = HeadlessChromium.screenshot(driver, "run-timeline-1000-threads");
            Files.createDirectories(Path.of("..", "docs", "console"));
            Files.copy(shot, Path.of("..", "docs", "console", "run-timeline-1000-threads.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<Double> sorted = times.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        System.out.printf("BENCH console.runPage.1000threads median %.0f ms (runs: %s)%n", median, times);
        // Held to the limit only as the benchmark (bench/run --only console): in the test suite the figure is printed,
        // and the folding above is what is checked, so a busy build machine cannot fail it on time alone.
        if (Boolean.getBoolean("steward.bench")) {
            assertThat(median).as("the 1,000-thread run page renders in under 1 s").isLessThan(1000);
        }
    }
}
