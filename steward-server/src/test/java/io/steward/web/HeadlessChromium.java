package io.steward.web;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's chromium and chromedriver, started with explicit paths so that Selenium Manager never looks for (or
 * downloads) a browser. Without them the browser tests skip locally but fail under CI=true, where .ci/run installs
 * them: a CI run that silently tests no browser would prove nothing.
 */
final class HeadlessChromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    static ChromeDriver start(Path profile) {
        return start(profile, null);
    }

    /** As {@link #start(Path)}, with files the pages download saved into {@code downloads} without asking. */
    static ChromeDriver start(Path profile, Path downloads) {
        boolean present = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
        if (!present) {
            String why = "needs " + BROWSER + " and " + DRIVER + " (apt-get install chromium chromium-driver)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("browser tests " + why);
            }
            Assumptions.abort("browser tests " + why);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1000", "--user-data-dir=" + profile.toAbsolutePath());
        if (downloads != null) {
            options.setExperimentalOption("prefs", java.util.Map.of(
                    "download.default_directory", downloads.toAbsolutePath().toString(),
                    "download.prompt_for_download", false));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Saves a PNG under steward-server/target/screenshots/ (surefire runs in the module directory). */
    static Path screenshot(ChromeDriver driver, String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = dir.resolve(name + ".png");
            Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
