package io.steward.cli;

import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code steward schedule add/ls/show/pause/resume/rm} against a real primary on loopback. */
class ScheduleCommandAgainstARealPrimaryTest {
    @TempDir
    Path data;
    @TempDir
    Path work;
    StewardServer server;

    @BeforeEach
    void start() throws Exception {
        server = StewardServer.start(ServerConfig.defaults(data).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
        Path script = work.resolve("tick.groovy");
        Files.writeString(script, "'tick for ' + args.who");
        assertThat(cli("script", "push", script.toString(), "--name", "tick.groovy").exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRunner cli(String... args) throws Exception {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = server.adminToken();
        return CliRunner.run(all);
    }

    @Test
    void addListShowPauseResumeAndRemove() throws Exception {
        CliRunner added = cli("schedule", "add", "tick", "--cron", "* * * * * ?", "--script", "tick.groovy",
                "--arg", "who=cli", "--tz", "Europe/Berlin", "--grace", "5s", "--json");
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.json()).containsEntry("name", "tick").containsEntry("timeZone", "Europe/Berlin")
                .containsEntry("graceMs", 5000).containsEntry("args", Map.of("who", "cli"));

        await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) cli("schedule", "show", "tick", "--json").json()
                .get("fired")).longValue() >= 1);
        String lastRun = (String) cli("schedule", "show", "tick", "--json").json().get("lastRun");
        await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCEEDED".equals(cli("status", lastRun, "--json").json().get("state")));
        assertThat(cli("status", lastRun, "--json").json()).containsEntry("result", "tick for cli")
                .containsEntry("invoker", "schedule:tick");

        // Paused first, so that the last run shown is the one read back (a slot a second goes on otherwise).
        assertThat(cli("schedule", "pause", "tick").out()).contains("paused schedule tick");
        CliRunner ls = cli("schedule", "ls");
        assertThat(ls.exitCode()).isZero();
        assertThat(ls.out()).contains("NAME", "NEXT", "FIRED", "MISSED", "tick", "* * * * * ?", "Europe/Berlin",
                "tick.groovy", "paused");
        await().atMost(Duration.ofSeconds(10)).until(() -> !"CLAIMED".equals(cli("schedule", "show", "tick", "--json")
                .json().get("lastOutcome")));
        String shownRun = (String) cli("schedule", "show", "tick", "--json").json().get("lastRun");
        CliRunner show = cli("schedule", "show", "tick");
        assertThat(show.out()).contains("cron:", "* * * * * ?", "fired:", "missed:", "next:        paused", shownRun);

        assertThat(cli("schedule", "resume", "tick").out()).contains("resumed schedule tick, next");
        assertThat(cli("schedule", "rm", "tick").out()).contains("removed schedule tick");
        assertThat((List<?>) cli("schedule", "ls", "--json").json().get("schedules")).isEmpty();
        assertThat(cli("schedule", "ls").out()).contains("no schedules");
    }

    @Test
    void mistakesAreOneLineErrorsWithExitCode2() throws Exception {
        CliRunner never = cli("schedule", "add", "feb", "--cron", "0 0 30 2 *", "--script", "tick.groovy");
        assertThat(never.exitCode()).isEqualTo(2);
        assertThat(never.err()).contains("never fires").doesNotContain("Exception", "\tat ");
        CliRunner zone = cli("schedule", "add", "z", "--cron", "0 2 * * *", "--script", "tick.groovy", "--tz", "Nowhere/City");
        assertThat(zone.exitCode()).isEqualTo(2);
        assertThat(zone.err()).contains("unknown time zone 'Nowhere/City'");
        CliRunner unknown = cli("schedule", "show", "nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no schedule named 'nope'");
        CliRunner missingCron = cli("schedule", "add", "x", "--script", "tick.groovy");
        assertThat(missingCron.exitCode()).isEqualTo(2);
        assertThat(missingCron.err()).contains("--cron");
        assertThat((List<?>) cli("schedule", "ls", "--json").json().get("schedules")).isEmpty();
        assertThat(cli("schedule", "--help").out()).contains("add", "ls", "show", "pause", "resume", "rm", "Quartz");
    }
}
