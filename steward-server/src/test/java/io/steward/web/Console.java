package io.steward.web;

import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;

/** The web console as the tests use it: pages by their hash route, elements by id, waits on conditions. */
final class Console {
    final ChromeDriver driver;
    final String base;
    final WebDriverWait wait;

    Console(ChromeDriver driver, String base) {
        this.driver = driver;
        this.base = base;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    /**
     * A wait for what a live page must show soon after it happens: far shorter than {@link #wait}, which is sized
     * for slow page loads, yet long enough for a change on two busy cores; a page that polled instead would miss it.
     */
    WebDriverWait soon() {
        return new WebDriverWait(driver, Duration.ofSeconds(10));
    }

    /** Marks the current document; {@link #sameDocument()} is false once it has been reloaded or replaced. */
    void markDocument() {
        driver.executeScript("window.stewardTestMark = true");
    }

    boolean sameDocument() {
        return Boolean.TRUE.equals(driver.executeScript("return window.stewardTestMark === true"));
    }

    /** Waits until the page's live indicator says the change stream is connected. */
    void waitForLive() {
        wait.until(ExpectedConditions.attributeToBe(By.id("live-status"), "data-state", "live"));
    }

    void signIn(String token) {
        driver.get(base + "/");
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        input.sendKeys(token);
        driver.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    void signOut() {
        driver.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    }

    void open(String route) {
        // Same document, new fragment: the console's router takes it from the hashchange.
        driver.get(base + "/#" + route);
    }

    WebElement waitFor(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    void waitForText(String id, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /**
     * The texts of the elements a selector matches, read in one go. Live pages redraw while events arrive, so an
     * element found a moment ago may be gone when read: then the whole read is simply tried again.
     */
    List<String> texts(String css) {
        return wait.ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList());
    }

    /** The run id from the URL of the run page the console moved to. */
    String waitForRunPage() {
        wait.until(d -> d.getCurrentUrl().matches(".*#/runs/[^/]+$"));
        waitFor("run-state");
        String url = driver.getCurrentUrl();
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
