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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.steward.gateway.TestPrimary.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The coordination page in a real headless Chromium against a real primary: a run holding a pool entry and a lock
 * while it waits on an event, a second run waiting for the lock, a queue with messages and a variable all show;
 * posting the event over the API makes the holders disappear from the open page without a reload. The page also
 * reads at phone width without sideways scrolling.
 */
class CoordinationPageTest {
    @TempDir
    Path dir;
    TestPrimary primary;
    ChromeDriver driver;
    Console console;
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
        if (proxy != null) {
            proxy.close();
        }
        primary.close();
    }

    @Test
    void holdersWaitersQueueAndVariableShowAndTheHoldersGoWhenTheEventIsPostedWithoutAReload() throws Exception {
        for (String entry : List.of("m1", "m2")) {
            assertThat(primary.admin.put("/api/v1/pools/lab/entries/" + entry, Map.of("value", Map.of("host", entry + ".lab"))).status())
                    .isEqualTo(200);
        }
        primary.push("hold.groovy", "pool('lab').acquire(30000) { e -> lock('db', 30000) { event('go').wait(60000) } }");
        primary.push("wait-db.groovy", "lock('db', 30000) { 'got it' }");
        String holder = start("hold.groovy");
        await().until(() -> runsIn(lock("db"), "holders").equals(List.of(holder)));
        String waiter = start("wait-db.groovy");
        await().until(() -> runsIn(lock("db"), "waiters").equals(List.of(waiter)));
        for (int i = 0; i < 3; i++) {
            assertThat(primary.admin.post("/api/v1/queues/builds/messages", Map.of("message", Map.of("n", i))).status()).isEqualTo(201);
        }
        assertThat(primary.admin.put("/api/v1/vars/global/release", Map.of("value", Map.of("v", 42))).status()).isEqualTo(200);

        console.signIn(primary.server.adminToken());
        driver.findElement(By.cssSelector("nav a[href='#/coordination']")).click();
        console.waitForLive();
        console.markDocument();
        assertThat(driver.findElement(By.cssSelector("nav a[href='#/coordination']")).getAttribute("aria-current")).isNotNull();

        String db = "#locks tr[data-lock='db']";
        console.wait.until(d -> !d.findElements(By.cssSelector(db)).isEmpty());
        assertThat(links(db + " .holders")).containsExactly("#/runs/" + holder);
        assertThat(links(db + " .waiters")).as("one waiter for db").containsExactly("#/runs/" + waiter);
        assertThat(console.texts(db + " .held")).containsExactly("1 of 1");
        assertThat(console.texts(db + " .holders")).singleElement().asString().contains(holder).contains("since");

        // The holder took one of the two entries; the other one is free.
        List<String> entries = console.texts("#pools [data-pool='lab'] tr[data-entry]");
        assertThat(entries).hasSize(2);
        assertThat(entries).filteredOn(t -> t.contains(holder)).hasSize(1);
        assertThat(entries).filteredOn(t -> t.contains("free")).hasSize(1);
        assertThat(console.texts("#pools [data-pool='lab'] h3")).singleElement().asString().contains("1 of 2 free");

        assertThat(console.texts("#queues tr[data-queue='builds'] .depth")).containsExactly("3 messages");
        assertThat(console.texts("#events tr[data-event='go']")).singleElement().asString()
                .contains("not posted").contains("1 waiting");
        assertThat(console.texts("#vars tr[data-var='global/release']")).singleElement().asString()
                .contains("{\"v\":42}").contains("never");
        assertThat(console.texts("#vars tr[data-var='global/release'] .version")).containsExactly("1");

        // A change made while the page is open shows within the poll, not after a reload.
        primary.admin.post("/api/v1/queues/builds/messages", Map.of("message", "fourth"));
        console.soon().until(d -> console.texts("#queues tr[data-queue='builds'] .depth").equals(List.of("4 messages")));

        HeadlessChromium.screenshot(driver, "coordination-desktop");

        // A keyboard user on the holder's link keeps focus there when the section around it is redrawn.
        String holderLink = "#pools [data-pool='lab'] .holder a[href='#/runs/" + holder + "']";
        driver.executeScript("arguments[0].focus()", driver.findElement(By.cssSelector(holderLink)));
        assertThat(primary.admin.put("/api/v1/pools/lab/entries/m3", Map.of("value", Map.of("host", "m3.lab"))).status()).isEqualTo(200);
        console.soon().until(d -> console.texts("#pools [data-pool='lab'] tr[data-entry]").size() == 3);
        assertThat(driver.switchTo().activeElement().getAttribute("href")).endsWith("#/runs/" + holder);

        readsAtPhoneWidth(holder);

        assertThat(primary.admin.post("/api/v1/events/go", Map.of("action", "post")).json()).containsEntry("posted", true);
        console.soon().until(d -> !has(d, "#locks a[href='#/runs/" + holder + "']") && !has(d, "#pools a[href='#/runs/" + holder + "']"));
        for (String run : List.of(holder, waiter)) {
            await().until(() -> "SUCCEEDED".equals(primary.admin.get("/api/v1/runs/" + run).json().get("state")));
        }
        // Nothing holds or waits any more: the sections say so in words.
        console.soon().until(d -> console.texts("#locks").equals(List.of("No lock or semaphore is held or awaited.")));
        console.soon().until(d -> console.texts("#pools [data-pool='lab'] tr[data-entry]").stream().allMatch(t -> t.contains("free")));
        assertThat(console.texts("#events tr[data-event='go']")).singleElement().asString().doesNotContain("not posted").contains("posted").contains("0 waiting");
        assertThat(console.sameDocument()).as("the coordination page was not reloaded").isTrue();
    }

    @Test
    void emptySectionsSayTheyAreEmpty() throws Exception {
        console.signIn(primary.server.adminToken());
        console.open("/coordination");
        console.waitForLive();
        assertThat(console.texts("#locks")).containsExactly("No lock or semaphore is held or awaited.");
        assertThat(console.texts("#events")).containsExactly("No event is posted or awaited.");
        assertThat(console.texts("#queues")).containsExactly("No queue has messages or takers.");
        assertThat(console.texts("#pools")).singleElement().asString().startsWith("No resource pool exists");
        assertThat(console.texts("#vars")).containsExactly("No variable is set.");
    }

    @Test
    void whileThePrimaryCannotBeReachedThePageSaysSoThenCatchesUp() throws Exception {
        proxy = new DroppingProxy(primary.server.url());
        Console viaProxy = new Console(driver, proxy.url());
        viaProxy.signIn(primary.server.adminToken());
        viaProxy.open("/coordination");
        viaProxy.waitForLive();
        viaProxy.markDocument();

        proxy.refuse("/api/v1/coordination");
        proxy.dropAll();
        viaProxy.soon().until(d -> "polling".equals(d.findElement(By.id("live-status")).getAttribute("data-state")));
        assertThat(viaProxy.texts("#live-status")).singleElement().asString().startsWith("Cannot refresh");
        primary.admin.put("/api/v1/vars/global/while-away", Map.of("value", "set meanwhile"));

        proxy.refuse(null);
        viaProxy.waitForLive();
        viaProxy.soon().until(d -> viaProxy.texts("#vars tr[data-var='global/while-away']").stream()
                .anyMatch(t -> t.contains("\"set meanwhile\"")));
        assertThat(viaProxy.sameDocument()).as("the page was not reloaded").isTrue();
    }

    /** At 390 px the tables become labelled blocks: nothing overflows sideways and the holder's link is on screen. */
    private void readsAtPhoneWidth(String holder) {
        Dimension desktop = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new Dimension(390, 844));
            console.wait.until(d -> ((Number) driver.executeScript("return window.innerWidth")).intValue() <= 390);
            long overflow = ((Number) driver.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")).longValue();
            assertThat(overflow).as("sideways overflow at phone width, px").isLessThanOrEqualTo(0);
            assertThat(driver.findElement(By.cssSelector("#locks tr[data-lock='db'] .holders a")).isDisplayed()).isTrue();
            assertThat(console.texts("#locks tr[data-lock='db'] .held")).singleElement().asString().contains("1 of 1");
            HeadlessChromium.screenshot(driver, "coordination-phone");
        } finally {
            driver.manage().window().setSize(desktop);
        }
    }

    private String start(String script) {
        Http.Answer a = primary.admin.post("/api/v1/runs", Map.of("script", script));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return (String) a.json().get("id");
    }

    private Map<String, Object> lock(String name) {
        for (Object l : (List<?>) primary.admin.get("/api/v1/coordination").json().get("locks")) {
            if (name.equals(map(l).get("name"))) {
                return map(l);
            }
        }
        return Map.of("holders", List.of(), "waiters", List.of());
    }

    private static List<String> runsIn(Map<String, Object> lock, String field) {
        return ((List<?>) lock.get(field)).stream().map(x -> (String) map(x).get("run")).toList();
    }

    private List<String> links(String css) {
        return console.wait.ignoring(StaleElementReferenceException.class).until(d ->
                d.findElements(By.cssSelector(css + " a")).stream().map(a -> a.getAttribute("href"))
                        .map(href -> href.substring(href.indexOf('#'))).toList());
    }

    private static boolean has(WebDriver d, String css) {
        return !d.findElements(By.cssSelector(css)).isEmpty();
    }
}
