package io.steward.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScriptNamesTest {
    private static final Set<String> EXTENSIONS = Set.of(".groovy", ".js");

    @ParameterizedTest
    @ValueSource(strings = {"a.groovy", "deploy/web.groovy", "lib/util.js", "_launcher.groovy", "x-y/z_1.js"})
    void acceptsRelativePathsWithAKnownExtension(String name) {
        assertThat(ScriptNames.check(name, EXTENSIONS)).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "../up.groovy|'..'",
            "a/../../up.groovy|'..'",
            "/etc/passwd.groovy|absolute",
            "a//b.groovy|empty path segment",
            "./a.groovy|'.'",
            "a\\b.groovy|'\\'",
            "c:/a.groovy|':'",
            "notes.txt|'.txt'",
            "noext|no extension",
    })
    void refusesPathTricksAndUnknownExtensions(String name, String complaint) {
        assertThatThrownBy(() -> ScriptNames.check(name, EXTENSIONS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(complaint);
    }

    @org.junit.jupiter.api.Test
    void refusesControlCharactersAndEmptyNames() {
        assertThatThrownBy(() -> ScriptNames.check("a\nb.groovy", EXTENSIONS)).hasMessageContaining("control character");
        assertThatThrownBy(() -> ScriptNames.check("", EXTENSIONS)).hasMessageContaining("required");
        assertThatThrownBy(() -> ScriptNames.check("a".repeat(300) + ".js", EXTENSIONS)).hasMessageContaining("longer");
    }
}
