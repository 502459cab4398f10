package io.steward.drills;

import io.steward.client.StewardClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * During a primary outage an agent's threads, file descriptors and memory stay bounded (Salt's
 * {@code master_unavailable_wedge}: a minion that piled up a thread and a socket per retry). The agent keeps a run
 * going that changes a status value ten times a second, so its outbox fills while the primary is away; its
 * {@code /proc} figures are sampled every second before and during the outage (20 s here, 5 minutes in the full
 * drill). Bounded means: no more than a small constant above the figures before the outage, and no growth from the
 * first third of the outage to the last.
 */
@Tag(Drills.TAG)
class AgentStaysBoundedDuringAPrimaryOutageTest {
    @TempDir
    Path dir;

    @Test
    void anAgentsThreadsDescriptorsAndMemoryStayBoundedWhileItsPrimaryIsDown() throws Exception {
        Duration outage = Drills.length(Duration.ofSeconds(20), Duration.ofMinutes(5));
        try (PrimaryProcess primary = PrimaryProcess.start(dir, List.of("--agent-grace", "10m"), Map.of());
             StewardProcess agent = primary.agent(dir, "lonely-agent", null)) {
            primary.awaitOnline("lonely-agent");
            StewardClient admin = primary.admin();
            admin.pushScript("ticker.groovy", "long n = 0; while (true) { status.set('n', n++); sleep(100) }");
            String parent = (String) admin.invoke("ticker.groovy", null, Map.of(), null, null, Map.of("on", "lonely-agent")).get("id");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> !Invariants.children(admin.run(parent)).isEmpty()
                        && "RUNNING".equals(admin.run((String) Invariants.children(admin.run(parent)).getFirst()
                        .get("id")).get("state")));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the ticker did not start: " + admin.run(parent) + "\n" + agent.logTail(), e);
            }
            List<ProcSample> before = sample(agent, Duration.ofSeconds(3));

            primary.kill9();
            List<ProcSample> during = sample(agent, outage);
            primary.startAgain();
            primary.awaitOnline("lonely-agent");
            String child = (String) Invariants.children(primary.admin().run(parent)).getFirst().get("id");
            primary.admin().cancel(child);

            ProcSample base = ProcSample.max(before);
            ProcSample peak = ProcSample.max(during);
            int third = during.size() / 3;
            ProcSample early = ProcSample.max(during.subList(0, third));
            ProcSample late = ProcSample.max(during.subList(during.size() - third, during.size()));
            String drill = "agent during a primary outage";
            Drills.figure(drill, "outage (s)", outage.toSeconds());
            Drills.figure(drill, "threads before / max during", base.threads() + " / " + peak.threads());
            Drills.figure(drill, "fds before / max during", base.fds() + " / " + peak.fds());
            Drills.figure(drill, "RSS MiB before / max during", base.rssKb() / 1024 + " / " + peak.rssKb() / 1024);
            String trace = "before " + before + "\nduring " + during;
            assertThat(peak.threads()).as("threads\n%s", trace).isLessThanOrEqualTo(base.threads() + 8);
            assertThat(peak.fds()).as("file descriptors\n%s", trace).isLessThanOrEqualTo(base.fds() + 16);
            assertThat(peak.rssKb()).as("RSS\n%s", trace).isLessThanOrEqualTo(base.rssKb() + 96 * 1024);
            assertThat(late.threads()).as("threads grow\n%s", trace).isLessThanOrEqualTo(early.threads() + 3);
            assertThat(late.fds()).as("descriptors grow\n%s", trace).isLessThanOrEqualTo(early.fds() + 4);
            assertThat(late.rssKb()).as("RSS grows\n%s", trace).isLessThanOrEqualTo(early.rssKb() + 48 * 1024);
        }
    }

    /** One sample a second for {@code length}: the outage is the fault, so this waits it out. */
    private static List<ProcSample> sample(StewardProcess agent, Duration length) throws Exception {
        List<ProcSample> samples = new ArrayList<>();
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            samples.add(agent.sample());
            Thread.sleep(1000);
        }
        return samples;
    }
}
