package io.steward.web;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
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
 * A run with a secret arg and a secret status value in a real headless Chromium: the page shows the mask with a
 * lock, never the value, and Re-run refuses to send "***" in place of the secret.
 */
class SecretsInTheConsoleTest {
    private static final String PASSWORD = "console-Secret-Value-5150";

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
    void thePageShowsTheMaskWithALockAndReRunRefuses() throws Exception {
        primary.push("secret.groovy", """
                status.set('pw', args.password, secret: true)
                exec(['sh', '-c', 'echo "using $0"', args.password])
                """);
        Http.Answer invoked = primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "secret.groovy",
                "secretArgs", Map.of("password", PASSWORD)));
        assertThat(invoked.status()).as(invoked.body()).isEqualTo(201);
        String id = (String) invoked.json().get("id");

        console.signIn(primary.server.adminToken());
        console.open("/runs/" + id);
        console.waitForText("status-values", "secret");
        console.waitForText("timeline", "secret");
        console.waitForText("console", "using ***");
        // The run page redraws its head and panels after each poll: read and click what is there at that moment.
        String values = console.wait.ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("status-values")).getText());
        assertThat(values).contains("pw", "***", "🔒 secret");
        assertThat(driver.getPageSource()).doesNotContain(PASSWORD);

        console.wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(By.id("rerun")).click();
            return true;
        });
        console.waitForText("toast", "This run had secret args, which the console never sees");
        List<?> runs = (List<?>) primary.admin.get("/api/v1/runs?script=secret.groovy").json().get("runs");
        assertThat(runs).as("no run was started with *** for the password").hasSize(1);
    }
}
