package io.steward.cli;

import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code steward run --secret-arg / --secret-arg-env} against a real primary: the script gets the value, and
 * nothing the CLI prints afterwards ({@code run --wait/--follow}, {@code status}, {@code logs})
 * holds it, in Groovy and JavaScript.
 */
class SecretArgsFromTheCliTest {
    static final String PASSWORD = "cli-Secret-Value-90210";
    static final String REVERSED = new StringBuilder(PASSWORD).reverse().toString();

    @TempDir
    static Path data;
    @TempDir
    static Path work;
    @TempDir
    static Path home;
    static StewardServer server;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        server = StewardServer.start(ServerConfig.defaults(data).withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
        token = server.adminToken();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static CliRunner cli(String... args) {
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.keySet().removeIf(name -> name.startsWith("STEWARD_") || name.equals("XDG_CONFIG_HOME"));
        vars.put("DB_PASSWORD", PASSWORD);
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = token;
        return CliRunner.run(new Environment(Map.copyOf(vars), home), all);
    }

    private static void push(String name, String source) throws Exception {
        Path f = work.resolve(name.replace('/', '_'));
        Files.writeString(f, source);
        CliRunner pushed = cli("script", "push", f.toString(), "--name", name);
        assertThat(pushed.exitCode()).as(pushed.err()).isZero();
    }

    private static void assertHidden(CliRunner run) {
        assertThat(run.out()).doesNotContain(PASSWORD);
        assertThat(run.err()).doesNotContain(PASSWORD);
    }

    @Test
    void theScriptGetsTheValueAndTheCliNeverPrintsIt() throws Exception {
        push("cli/secret.groovy", """
                status.set('pw', args.password, secret: true)
                exec(['sh', '-c', 'echo "db password: $0"', args.password])
                status.set('ok', args.password.reverse() == 'REVERSED')
                """.replace("REVERSED", REVERSED));
        push("cli/secret.js", """
                status.set('pw', args.password, {secret: true});
                exec(['sh', '-c', 'echo "db password: $0"', args.password]);
                status.set('ok', args.password.split('').reverse().join('') === 'REVERSED');
                """.replace("REVERSED", REVERSED));
        for (String script : List.of("cli/secret.groovy", "cli/secret.js")) {
            CliRunner run = cli("run", script, "--secret-arg-env", "password=DB_PASSWORD", "--wait", "--json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertHidden(run);
            String id = (String) run.json().get("id");
            assertThat(CliRunner.roundTrip(run.json().get("status")).toString()).contains("ok=true", "pw=***");

            for (CliRunner shown : List.of(cli("status", id), cli("status", id, "--json"), cli("logs", id))) {
                assertThat(shown.exitCode()).as(shown.err()).isZero();
                assertHidden(shown);
            }
            assertThat(cli("logs", id).out()).contains("db password: ***");
            assertThat(cli("status", id).out()).contains("***");

            CliRunner follow = cli("run", script, "--secret-arg", "password=" + PASSWORD, "--follow");
            assertThat(follow.exitCode()).as(follow.err()).isZero();
            assertHidden(follow);
            assertThat(follow.out()).contains("db password: ***");
        }
    }

    @Test
    void aMissingVariableIsAClearErrorAndStartsNothing() throws Exception {
        push("cli/never.groovy", "status.set('ran', true)");
        CliRunner refused = cli("run", "cli/never.groovy", "--secret-arg-env", "password=NO_SUCH_VARIABLE_SET");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("the environment variable NO_SUCH_VARIABLE_SET is not set")
                .doesNotContain("Exception");
        assertThat(cli("runs", "--script", "cli/never.groovy", "--json").json().get("runs")).isEqualTo(List.of());
    }

    @Test
    void aScheduleKeepsItsSecretArgAndShowsOnlyItsName() throws Exception {
        push("cli/nightly.groovy", "args.password.reverse() == 'REVERSED'".replace("REVERSED", REVERSED));
        CliRunner added = cli("schedule", "add", "cli-nightly", "--cron", "* * * * * ?", "--script", "cli/nightly.groovy",
                "--secret-arg-env", "password=DB_PASSWORD");
        assertThat(added.exitCode()).as(added.err()).isZero();
        CliRunner shown = cli("schedule", "show", "cli-nightly");
        assertThat(shown.out()).contains("secret args: password (values hidden)");
        assertHidden(shown);
        assertHidden(cli("schedule", "show", "cli-nightly", "--json"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                "STARTED".equals(cli("schedule", "show", "cli-nightly", "--json").json().get("lastOutcome")));
        String run = (String) cli("schedule", "show", "cli-nightly", "--json").json().get("lastRun");
        CliRunner waited = cli("status", run, "--json");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                "SUCCEEDED".equals(cli("status", run, "--json").json().get("state")));
        assertThat(cli("status", run, "--json").json().get("result")).as("the slot's run got the value").isEqualTo(true);
        assertHidden(waited);
        assertThat(cli("schedule", "rm", "cli-nightly").exitCode()).isZero();
    }

    @Test
    void anAtSignIsNotAFileToRead() throws Exception {
        push("cli/echo.groovy", "args.password");
        CliRunner run = cli("run", "cli/echo.groovy", "--secret-arg", "password=@/etc/hostname", "--wait", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        // The run's result is masked like everything else; the script saw the text as given (it is the secret).
        assertThat(run.json().get("result")).isEqualTo("***");
    }
}
