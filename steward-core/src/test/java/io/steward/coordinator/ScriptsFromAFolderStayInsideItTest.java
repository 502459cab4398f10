package io.steward.coordinator;

import io.steward.files.ConfinedDirectory.Rule;
import io.steward.files.PathRefusedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code DirectoryScriptSource} ({@code steward run-local} and the includes of what it runs) against real files: a
 * script folder with a sibling {@code scripts-evil} beside it and a secret script above it. Neither the run's own
 * name nor an {@code include} reaches them, by {@code ../}, by an encoded climb, by an absolute path, by NUL, or
 * through a symbolic link inside the folder; the run fails with the name and the rule, and nothing outside runs.
 */
class ScriptsFromAFolderStayInsideItTest {
    @TempDir
    Path tmp;
    Path root;
    Scripts scripts;

    @BeforeEach
    void folder() throws IOException {
        root = Files.createDirectories(tmp.resolve("scripts"));
        Path sibling = Files.createDirectories(tmp.resolve("scripts-evil"));
        // each outside script would leave a mark if it ever ran
        String marks = "new File('" + tmp.resolve("ran") + "').text = 'outside'\n'evil'";
        Files.writeString(sibling.resolve("evil.groovy"), marks);
        Files.writeString(tmp.resolve("secret.groovy"), marks);
        Files.createSymbolicLink(root.resolve("shared"), sibling);
        Files.createSymbolicLink(root.resolve("secret.groovy"), tmp.resolve("secret.groovy"));
        Files.writeString(root.resolve("fine.groovy"), "'fine'");
        scripts = new Scripts(root);
    }

    @AfterEach
    void close() {
        scripts.close();
    }

    @Test
    void includesThatClimbOutFailTheRunNamingTheRule() throws Exception {
        for (var attempt : List.of(
                new Attempt("../secret.groovy", "contains '..'"),
                new Attempt("lib/../../secret.groovy", "contains '..'"),
                new Attempt("..%2fsecret.groovy", Rule.ENCODED_ESCAPE.says()),
                new Attempt("%2e%2e/secret.groovy", Rule.ENCODED_ESCAPE.says()),
                new Attempt(tmp.resolve("secret.groovy").toString(), "absolute"),
                new Attempt("evil\\u0000.groovy", "control character"),
                new Attempt("shared/evil.groovy", Rule.OUTSIDE.says()),
                new Attempt("secret.groovy", Rule.OUTSIDE.says()))) {
            RunSnapshot run = scripts.run("uses.groovy", "include('" + attempt.name() + "')");
            assertThat(run.state()).as(attempt.name()).isEqualTo(RunState.FAILED);
            assertThat(run.error().message()).as(attempt.name()).contains(attempt.says());
        }
        assertThat(tmp.resolve("ran")).as("no outside script ran").doesNotExist();
        assertThat(scripts.run("uses.groovy", "include('fine.groovy')").state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void aRunOfALinkThatLeadsOutIsRefusedBeforeItStarts() {
        for (String name : List.of("secret.groovy", "shared/evil.groovy")) {
            assertThatThrownBy(() -> scripts.start(name, java.util.Map.of())).as(name)
                    .isInstanceOfSatisfying(PathRefusedException.class, e -> {
                        assertThat(e.rule()).isEqualTo(Rule.OUTSIDE);
                        assertThat(e.getMessage()).contains("'" + name + "'");
                    });
        }
        assertThat(tmp.resolve("ran")).doesNotExist();
    }

    private record Attempt(String name, String says) {
    }
}
