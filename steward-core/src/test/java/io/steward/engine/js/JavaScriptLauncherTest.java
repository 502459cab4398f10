package io.steward.engine.js;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRefusedException;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.Scripts;
import io.steward.engine.ScriptText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A launcher written in JavaScript sees the request as a global, may rewrite it, and may refuse it. */
class JavaScriptLauncherTest {
    @TempDir
    Path dir;
    Scripts scripts;

    @AfterEach
    void tearDown() {
        scripts.close();
    }

    @Test
    void aJavaScriptLauncherRewritesAndRefusesRequests() throws Exception {
        scripts = new Scripts(dir, Coordinator.builder().launcher(new ScriptText("_launcher.js", """
                if (!request.args.ticket) {
                  // A refusal cannot be caught: the launcher's decision stands.
                  try { refuse('every run needs a ticket (args.ticket)') } catch (e) { }
                }
                request.args.stamped = true
                request
                """)));
        scripts.write("deploy.js", "'deployed ' + args.ticket + (args.stamped ? ' (stamped)' : '')");
        assertThat(scripts.coordinator().launcherError()).isEmpty();

        assertThatThrownBy(() -> scripts.start("deploy.js", Map.of()))
                .isInstanceOf(InvokeRefusedException.class).hasMessageContaining("every run needs a ticket");
        assertThat(scripts.coordinator().runs()).isEmpty();

        RunSnapshot run = scripts.run("deploy.js", Map.of("ticket", "T-1"));
        assertThat(run.result()).isEqualTo("deployed T-1 (stamped)");
    }
}
