package io.steward.engine.groovy;

import io.steward.engine.ScriptCompileException;
import io.steward.engine.ScriptText;
import io.steward.engine.js.JavaScriptLanguage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Compiling (validating) a script runs none of its code (Jenkins CVE-2019-1003000): each payload would create a
 * marker file if the compiler ran it. {@code @ASTTest} (which Groovy runs while compiling) and {@code @Grab} are
 * refused with an error naming the line; static initialisers and field initialisers compile and wait for a run.
 */
class CompilingAScriptRunsNothingTest {
    @TempDir
    Path dir;

    @Test
    void compileTimeTransformsAreRefusedAndRunNothing() {
        String marker = dir.resolve("ran").toString();
        String[] refused = {
            "@groovy.transform.ASTTest(value={ new File('" + marker + "').text = 'x' })\ndef x = 1\nx",
            "import groovy.transform.ASTTest as T\n@T(value={ new File('" + marker + "').text = 'x' })\ndef x = 1",
            "import groovy.transform.*\nclass A { @ASTTest(value={ new File('" + marker + "').text = 'x' }) def m() {} }\n1",
            "def f() { @groovy.transform.ASTTest(value={ new File('" + marker + "').text = 'x' }) def y = 1; y }\nf()",
            "@Grab('org.example:payload:1.0')\nimport org.example.Payload\n1",
            "@GrabConfig(systemClassLoader=true)\n@Grab('org.example:payload:1.0')\ndef x = 1",
            "@groovy.transform.AnnotationCollector([groovy.transform.ASTTest]) @interface Sneaky {}\n1",
        };
        for (String source : refused) {
            assertThatThrownBy(() -> new GroovyLanguage().compile(new ScriptText("payload.groovy", source)))
                    .as(source).isInstanceOf(ScriptCompileException.class).hasMessageContaining("is not allowed");
        }
        assertThat(dir.resolve("ran")).doesNotExist();
    }

    @Test
    void staticAndFieldInitialisersWaitForARun() {
        String marker = dir.resolve("ran").toString();
        String[] compiled = {
            "class A { static { new File('" + marker + "').text = 'x' } }\n1",
            "class B { static y = new File('" + marker + "').createNewFile() }\n1",
            "class C { def y = new File('" + marker + "').createNewFile() }\n1",
            "@groovy.transform.Field def z = new File('" + marker + "').createNewFile()\n1",
            "static { new File('" + marker + "').text = 'x' }\n1",
        };
        for (String source : compiled) {
            try {
                new GroovyLanguage().compile(new ScriptText("payload.groovy", source));
            } catch (ScriptCompileException e) {
                // refusing is as good as compiling here: what matters is that nothing ran
            }
        }
        assertThat(dir.resolve("ran")).doesNotExist();
    }

    @Test
    void validatingJavaScriptRunsNothing() {
        // a top-level throw would surface if the parse ran the script
        new JavaScriptLanguage().compile(new ScriptText("payload.js", "throw new Error('ran');\n1"));
        assertThatThrownBy(() -> new JavaScriptLanguage().compile(new ScriptText("bad.js", "let = ;")))
                .isInstanceOf(ScriptCompileException.class);
    }
}
