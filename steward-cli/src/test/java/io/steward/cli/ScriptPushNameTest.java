package io.steward.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptPushNameTest {

    @Test
    void aCleanRelativePathIsTheName() {
        assertThat(ScriptPushCommand.defaultName(Path.of("deploy/web.groovy"))).isEqualTo("deploy/web.groovy");
        assertThat(ScriptPushCommand.defaultName(Path.of("./deploy/./web.groovy"))).isEqualTo("deploy/web.groovy");
        assertThat(ScriptPushCommand.defaultName(Path.of("hello.js"))).isEqualTo("hello.js");
    }

    @Test
    void anythingOutsideTheCurrentDirectoryIsNamedByItsFileName() {
        assertThat(ScriptPushCommand.defaultName(Path.of("../lib/steps.groovy"))).isEqualTo("steps.groovy");
        assertThat(ScriptPushCommand.defaultName(Path.of("/srv/scripts/deploy/web.groovy"))).isEqualTo("web.groovy");
        assertThat(ScriptPushCommand.defaultName(Path.of("a/../../b.groovy"))).isEqualTo("b.groovy");
    }
}
