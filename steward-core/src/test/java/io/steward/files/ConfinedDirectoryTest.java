package io.steward.files;

import io.steward.files.ConfinedDirectory.Rule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every trick of issue 14's "names" case against real files in a temporary folder: a {@code scripts} folder with a
 * secret beside it and a sibling {@code scripts-evil} whose name starts like it.
 */
class ConfinedDirectoryTest {
    @TempDir
    Path tmp;
    Path root;
    Path sibling;
    ConfinedDirectory dir;

    @BeforeEach
    void files() throws IOException {
        root = Files.createDirectories(tmp.resolve("scripts"));
        sibling = Files.createDirectories(tmp.resolve("scripts-evil"));
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        Files.writeString(sibling.resolve("evil.groovy"), "'evil'");
        Files.createDirectories(root.resolve("lib"));
        Files.writeString(root.resolve("lib/ok.groovy"), "'ok'");
        dir = ConfinedDirectory.of(root);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", value = {
            "../secret.txt => DOT_SEGMENT",
            "lib/../../secret.txt => DOT_SEGMENT",
            "./lib/ok.groovy => DOT_SEGMENT",
            "../scripts-evil/evil.groovy => DOT_SEGMENT",
            "..%2fsecret.txt => ENCODED_ESCAPE",
            "%2e%2e/secret.txt => ENCODED_ESCAPE",
            "%2e%2e%2fsecret.txt => ENCODED_ESCAPE",
            "%252e%252e%252fsecret.txt => ENCODED_ESCAPE",
            "lib%2f..%2f..%2fsecret.txt => ENCODED_ESCAPE",
            "%2fetc%2fpasswd => ENCODED_ESCAPE",
            "%00x.groovy => ENCODED_ESCAPE",
            "/etc/passwd => ABSOLUTE",
            "..\\secret.txt => BACKSLASH",
    })
    void namesThatClimbOutAreRefusedByTheirText(String name, Rule rule) {
        assertRefused(name, rule);
    }

    @Test
    void aRootedPathIntoTheFolderItselfIsStillAbsolute() {
        assertRefused(root.resolve("lib/ok.groovy").toString(), Rule.ABSOLUTE);
    }

    @Test
    void nulAndOtherControlCharactersAreRefused() {
        assertRefused("lib/ok.groovy\0.txt", Rule.CONTROL_CHARACTER);
        assertRefused("lib/\nok.groovy", Rule.CONTROL_CHARACTER);
        assertThatThrownBy(() -> dir.resolve("a\0b")).hasMessageContaining("'a\\u0000b'");
    }

    @Test
    void emptyOrMissingNamesAreRefused() {
        assertRefused("", Rule.EMPTY);
        assertRefused(null, Rule.EMPTY);
    }

    @Test
    void aSymbolicLinkToASiblingWhoseNameStartsLikeTheFolderIsRefused() throws IOException {
        // a string prefix check would let this through: "/…/scripts-evil/evil.groovy".startsWith("/…/scripts")
        Files.createSymbolicLink(root.resolve("shared"), sibling);
        assertThat(sibling.resolve("evil.groovy").toRealPath().toString()).startsWith(root.toRealPath().toString());
        assertRefused("shared/evil.groovy", Rule.OUTSIDE);
        assertRefused("shared/not-there-yet.groovy", Rule.OUTSIDE);
    }

    @Test
    void aSymbolicLinkToAFileOutsideIsRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("lib/secret.groovy"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
        assertRefused("lib/secret.groovy", Rule.OUTSIDE);
        assertRefused("up/secret.txt", Rule.OUTSIDE);
        assertThatThrownBy(() -> dir.resolve("up/secret.txt")).hasMessageContaining("leads to " + tmp.toRealPath());
    }

    @Test
    void aDanglingSymbolicLinkIsRefusedRatherThanWrittenThrough() throws IOException {
        // writing to the name would create the link's target, outside
        Files.createSymbolicLink(root.resolve("new.jsonl"), tmp.resolve("created-outside.jsonl"));
        assertRefused("new.jsonl", Rule.OUTSIDE);
        assertThat(tmp.resolve("created-outside.jsonl")).doesNotExist();
    }

    @Test
    void namesInsideResolveToTheirRealPath() throws IOException {
        assertThat(dir.resolve("lib/ok.groovy")).isEqualTo(root.resolve("lib/ok.groovy").toRealPath());
        assertThat(dir.resolve("lib/new/deeper.groovy")).isEqualTo(root.toRealPath().resolve("lib/new/deeper.groovy"));
        assertThat(dir.resolve("100%.groovy")).isEqualTo(root.toRealPath().resolve("100%.groovy"));
        assertThat(dir.resolve("a%20b.groovy")).isEqualTo(root.toRealPath().resolve("a%20b.groovy"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("lib"));
        assertThat(dir.resolve("alias/ok.groovy")).isEqualTo(root.resolve("lib/ok.groovy").toRealPath());
    }

    @Test
    void aFolderThatIsItselfALinkIsJudgedByWhereItLeads() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("scripts-link"), root);
        ConfinedDirectory viaLink = ConfinedDirectory.of(link);
        assertThat(viaLink.resolve("lib/ok.groovy")).isEqualTo(root.resolve("lib/ok.groovy").toRealPath());
        Files.createSymbolicLink(root.resolve("out"), sibling);
        assertThatThrownBy(() -> viaLink.resolve("out/evil.groovy")).isInstanceOf(PathRefusedException.class);
    }

    @Test
    void aMissingFolderIsAnIoErrorNamingIt() {
        ConfinedDirectory missing = ConfinedDirectory.of(tmp.resolve("nowhere"));
        assertThatThrownBy(() -> missing.resolve("x.groovy")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nowhere");
    }

    private void assertRefused(String name, Rule rule) {
        assertThatThrownBy(() -> dir.resolve(name)).as(name).isInstanceOfSatisfying(PathRefusedException.class, e -> {
            assertThat(e.rule()).as(name).isEqualTo(rule);
            assertThat(e.getMessage()).as(name).contains("is refused").contains(rule.says());
        });
    }
}
