package io.steward.coordinator;

import io.steward.engine.ScriptText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launcher (claims 26–30): loaded at start, passes every request, can refuse; a load failure blocks invokes only. */
class LauncherTest {
    @TempDir
    Path dir;
    Scripts scripts;

    @AfterEach
    void tearDown() {
        if (scripts != null) {
            scripts.close();
        }
    }

    @Test
    void theBuiltInLauncherRunsTheNamedScript() throws Exception {
        scripts = new Scripts(dir);
        assertThat(scripts.coordinator().launcherError()).isEmpty();
        assertThat(scripts.run("hello.groovy", "'hello'").result()).isEqualTo("hello");
    }

    @Test
    void aLauncherThatFailsToLoadFailsEveryInvokeAndNothingElse() throws Exception {
        Files.write(dir, "ok.groovy", "'ok'");
        Files.write(dir, Launcher.NAME, "return request +\n");
        scripts = new Scripts(dir);
        assertThat(scripts.coordinator().launcherError()).hasValueSatisfying(e -> assertThat(e.line()).isPositive());

        assertThatThrownBy(() -> scripts.start("ok.groovy", Map.of()))
                .isInstanceOf(LauncherUnavailableException.class)
                .hasMessageContaining("_launcher.groovy")
                .hasMessageContaining("failed to load");
        assertThat(scripts.coordinator().runs()).isEmpty();
        assertThat(scripts.coordinator().node().name()).isNotBlank();

        scripts.write(Launcher.NAME, "return request");
        assertThat(scripts.coordinator().reloadLauncher()).isEmpty();
        assertThat(scripts.run("ok.groovy").result()).isEqualTo("ok");
    }

    @Test
    void aLauncherCanRefuseARequest() throws Exception {
        Files.write(dir, Launcher.NAME, """
                if (!request.args.ticket) refuse("every run needs a ticket (args.ticket)")
                request
                """);
        scripts = new Scripts(dir).write("deploy.groovy", "'deployed ' + args.ticket");
        assertThatThrownBy(() -> scripts.start("deploy.groovy", Map.of()))
                .isInstanceOf(InvokeRefusedException.class).hasMessageContaining("every run needs a ticket");
        assertThat(scripts.coordinator().runs()).isEmpty();
        assertThat(scripts.run("deploy.groovy", Map.of("ticket", "T-1")).result()).isEqualTo("deployed T-1");
    }

    @Test
    void aLauncherCanRewriteTheRequest() throws Exception {
        Files.write(dir, Launcher.NAME, """
                request.args.stamped = true
                if (request.script == 'old.groovy') request.script = 'new.groovy'
                request
                """);
        scripts = new Scripts(dir).write("new.groovy", "[script: 'new', stamped: args.stamped]");
        RunSnapshot run = scripts.run("old.groovy");
        assertThat(run.script()).isEqualTo("new.groovy");
        assertThat(run.result()).isEqualTo(Map.of("script", "new", "stamped", true));
    }

    @Test
    void aLauncherThatThrowsFailsTheRequestWithItsError() throws Exception {
        scripts = new Scripts(dir, Coordinator.builder().launcher(new ScriptText(Launcher.NAME, "\nrequest.nope.boom")));
        scripts.write("x.groovy", "1");
        assertThatThrownBy(() -> scripts.start("x.groovy", Map.of()))
                .isInstanceOfSatisfying(LauncherFailedException.class, e -> assertThat(e.error().line()).isEqualTo(2));
    }

    /** Writes a file before the coordinator exists (the launcher loads when it is built). */
    private static final class Files {
        static void write(Path dir, String name, String text) throws java.io.IOException {
            java.nio.file.Files.writeString(dir.resolve(name), text);
        }
    }
}
