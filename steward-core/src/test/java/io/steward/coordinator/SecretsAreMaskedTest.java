package io.steward.coordinator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Secret status values and secret args: the script reads the real value, everything that leaves the run (events,
 * snapshots, process output, log messages, results) shows {@code ***} instead.
 */
class SecretsAreMaskedTest {
    private static final String PASSWORD = "hunter2-correct-horse";
    private static final String TOKEN = "tok-8f3a9c1d";

    @RegisterExtension
    final Scripts scripts = new Scripts();

    private RunSnapshot invoke(String name, String source) throws InterruptedException {
        scripts.write(name, source);
        return scripts.coordinator().invoke(new InvokeRequest(name, 0, Map.of("plain", "visible"), null, "test")
                .withSecretArgs(Map.of("password", PASSWORD))).await(Duration.ofSeconds(30));
    }

    @Test
    void groovyReadsTheRealValuesWhileEveryoneElseSeesTheMask() throws Exception {
        RunSnapshot run = invoke("secret.groovy", """
                status.set('token', 'TOKEN', secret: true)
                status.set('ok', status.get('token') == 'TOKEN' && args.password == 'PASSWORD' && args.plain == 'visible')
                exec(['sh', '-c', 'echo "pw is $0 and token $1"', args.password, status.get('token')])
                log.info("the password is ${args.password}")
                shared.put('leak', args.password)
                "result " + args.password
                """.replace("TOKEN", TOKEN).replace("PASSWORD", PASSWORD));
        assertMasked(run);
    }

    @Test
    void javaScriptReadsTheRealValuesWhileEveryoneElseSeesTheMask() throws Exception {
        RunSnapshot run = invoke("secret.js", """
                status.set('token', 'TOKEN', {secret: true});
                status.set('ok', status.get('token') === 'TOKEN' && args.password === 'PASSWORD' && args.plain === 'visible');
                exec(['sh', '-c', 'echo "pw is $0 and token $1"', args.password, status.get('token')]);
                log.info('the password is ' + args.password);
                shared.put('leak', args.password);
                'result ' + args.password;
                """.replace("TOKEN", TOKEN).replace("PASSWORD", PASSWORD));
        assertMasked(run);
    }

    private void assertMasked(RunSnapshot run) {
        assertThat(run.state()).as("%s", run.error()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.statusValues()).containsEntry("ok", true).containsEntry("token", "***");
        assertThat(run.args()).containsEntry("password", "***").containsEntry("plain", "visible");
        assertThat(run.result()).isEqualTo("result ***");
        assertThat(run.shared()).containsEntry("leak", "***");
        assertThat(run.toMap().toString()).doesNotContain(PASSWORD).doesNotContain(TOKEN);

        List<RunEvent> events = scripts.events(run.id());
        assertThat(events.toString()).doesNotContain(PASSWORD).doesNotContain(TOKEN);
        assertThat(scripts.events(run.id(), "output")).extracting(e -> e.data().get("line"))
                .containsExactly("pw is *** and token ***");
        assertThat(scripts.events(run.id(), "status")).filteredOn(e -> "token".equals(e.data().get("name")))
                .singleElement().satisfies(e -> assertThat(e.data()).containsEntry("value", "***").containsEntry("secret", true));
        assertThat(scripts.events(run.id(), "log")).extracting(e -> e.data().get("message"))
                .containsExactly("the password is ***");
    }

    @Test
    void aSecretStaysSecretWhenSetAgainWithoutTheOption() throws Exception {
        RunSnapshot run = scripts.run("again.groovy", """
                status.set('key', 'first-secret', secret: true)
                status.set('key', 'second-value')
                status.get('key')
                """);
        assertThat(run.statusValues()).containsEntry("key", "***");
        assertThat(run.result()).as("the script reads its own value").isEqualTo("second-value");
        assertThat(scripts.events(run.id(), "status")).extracting(e -> e.data().get("value")).containsOnly("***");
    }

    @Test
    void anUnknownOptionIsAClearError() throws Exception {
        RunSnapshot groovy = scripts.run("bad.groovy", "status.set('key', 'v', secrte: true)");
        assertThat(groovy.state()).isEqualTo(RunState.FAILED);
        assertThat(groovy.error().message()).contains("status.set knows one option, secret", "secrte");
        RunSnapshot js = scripts.run("bad.js", "status.set('key', 'v', {secret: 'yes'})");
        assertThat(js.state()).isEqualTo(RunState.FAILED);
        assertThat(js.error().message()).contains("secret is true or false");
    }

    @Test
    void anArgCannotBeBothPlainAndSecret() {
        assertThatThrownBy(() -> new InvokeRequest("x.groovy", 0, Map.of("pw", "a"), null, null)
                .withSecretArgs(Map.of("pw", "b"))).hasMessageContaining("'pw' is both an arg and a secret arg");
    }

    @Test
    void aRequestPrintsTheNamesOfItsSecretArgsNotTheirValues() {
        assertThat(InvokeRequest.of("x.groovy").withSecretArgs(Map.of("pw", PASSWORD)).toString())
                .contains("secretArgs=[pw]").doesNotContain(PASSWORD);
    }
}
