package io.steward.engine.js;

import io.steward.engine.ScriptCompileException;
import io.steward.engine.ScriptText;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JavaScript syntax measured against a corpus nobody on the team wrote: the npm package {@code test262-parser-tests}
 * (0.0.5). Its {@code pass/} cases must compile, its {@code fail/} and {@code early/} cases must be rejected.
 *
 * <p>The corpus dates from 2017. Fourteen of its rejections became valid JavaScript since (ES2019 made U+2028/2029
 * legal in strings, ES2021 the {@code \8} and {@code \9} escapes, ES2022 class fields; Annex B allows the rest in
 * sloppy scripts); Node accepts each of them too, so they are listed below and counted apart, with their reason.
 * Five remaining cases GraalJS accepts although today's JavaScript rejects them (parenthesised destructuring
 * targets, duplicate names in a setter's destructured parameter): those are our known misses, listed so that the
 * test fails if one more appears, or one of them is fixed and the list should shrink.
 *
 * <p>The corpus is installed by {@code .ci/run} ({@code TEST262_PARSER_TESTS} names its folder); without it the test
 * is skipped, except under {@code CI=true}, where it fails.
 */
class Test262ParserTestsTest {
    /** Rejected by the corpus, valid JavaScript today (Node 20 accepts each). */
    private static final Map<String, String> VALID_SINCE = Map.ofEntries(
            Map.entry("fail/0d5e450f1da8a92a.js", "'\\9' escape: ES2021 NonOctalDecimalEscapeSequence"),
            Map.entry("fail/748656edbfb2d0bb.js", "'\\8' escape: ES2021"),
            Map.entry("fail/79f882da06f88c9f.js", "'\\8' escape: ES2021"),
            Map.entry("fail/92b6af54adef3624.js", "'\\9' escape: ES2021"),
            Map.entry("fail/647e21f8f157c338.js", "U+2028 in a string literal: ES2019 (JSON superset)"),
            Map.entry("fail/8af69d8f15295ed2.js", "U+2029 in a string literal: ES2019 (JSON superset)"),
            Map.entry("fail/98204d734f8c72b3.js", "class field: ES2022"),
            Map.entry("fail/ef81b93cf9bdb4ec.js", "class field with initializer: ES2022"),
            Map.entry("fail/e3fbcf63d7e43ead.js", "for (var x = 1 in …): Annex B.3.5 (sloppy scripts)"),
            Map.entry("early/0f5f47108da5c34e.js", "var redeclaring a catch parameter in for-of: Annex B.3.4"),
            Map.entry("early/12a74c60f52a60de.js", "duplicate function declarations in a block: Annex B.3.3.4 (sloppy)"),
            Map.entry("early/1aff49273f3e3a98.js", "block function shadowing a top-level one: Annex B.3.3 (sloppy)"),
            Map.entry("early/be7329119eaa3d47.js", "block function shadowing: Annex B.3.3 (sloppy)"),
            Map.entry("early/ec31fa5e521c5df4.js", "block function shadowing: Annex B.3.3 (sloppy)"));

    /** Invalid JavaScript that GraalJS 25 accepts: the known misses (Node rejects each). */
    private static final Map<String, String> GRAALJS_ACCEPTS = Map.of(
            "fail/50a060984b757dc1.js", "({a:(b = 0)} = 1): parenthesised assignment target in a pattern",
            "fail/90cd97db35a1a503.js", "({a: (b = 0)} = {}): parenthesised assignment target in a pattern",
            "fail/db41a80ccf646002.js", "[(a = 0)] = 1: parenthesised assignment target in a pattern",
            "early/86b8297085fecff2.js", "set a([b, b]){}: duplicate parameter name",
            "early/f89017fd3f793d0d.js", "set a({b, b}){}: duplicate parameter name");

    @Test
    void everyPassCaseCompilesAndEveryFailAndEarlyCaseIsRejected() throws IOException {
        Path corpus = corpus();
        JavaScriptLanguage language = new JavaScriptLanguage();
        List<String> report = new ArrayList<>();
        TreeSet<String> wrong = new TreeSet<>();
        for (String dir : List.of("pass", "fail", "early")) {
            boolean shouldCompile = dir.equals("pass");
            int total = 0;
            int right = 0;
            int changedSince = 0;
            try (Stream<Path> files = Files.list(corpus.resolve(dir))) {
                for (Path file : files.sorted().toList()) {
                    String id = dir + "/" + file.getFileName();
                    total++;
                    boolean compiled = compiles(language, file);
                    if (compiled == shouldCompile) {
                        right++;
                    } else if (VALID_SINCE.containsKey(id)) {
                        changedSince++;
                    } else {
                        wrong.add(id);
                    }
                }
            }
            report.add(String.format("%s/: %d of %d as the corpus says (%.1f %%); %d more valid since 2017",
                    dir, right, total, 100.0 * right / total, changedSince));
        }
        System.out.println("test262-parser-tests on GraalJS:\n  " + String.join("\n  ", report));
        assertThat(wrong).as("cases where Steward's JavaScript disagrees with the corpus and with today's JavaScript")
                .isEqualTo(new TreeSet<>(GRAALJS_ACCEPTS.keySet()));
    }

    /** Scripts go through Steward's own compile; the corpus's module cases are parsed as modules by the same engine. */
    private static boolean compiles(JavaScriptLanguage language, Path file) throws IOException {
        String name = file.getFileName().toString();
        String text = Files.readString(file);
        if (!name.endsWith(".module.js")) {
            try {
                language.compile(new ScriptText(name, text));
                return true;
            } catch (ScriptCompileException e) {
                return false;
            }
        }
        try (Context context = JsEngine.get().newContext()) {
            context.parse(Source.newBuilder("js", text, name).mimeType("application/javascript+module").buildLiteral());
            return true;
        } catch (PolyglotException e) {
            return false;
        }
    }

    private static Path corpus() {
        String where = System.getenv("TEST262_PARSER_TESTS");
        Path dir = where == null ? null : Path.of(where);
        boolean present = dir != null && Files.isDirectory(dir.resolve("pass"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("TEST262_PARSER_TESTS must name the test262-parser-tests package folder under "
                    + "CI (.ci/run installs it with npm); it is " + where);
        }
        Assumptions.assumeTrue(present, "test262-parser-tests not installed: set TEST262_PARSER_TESTS");
        return dir;
    }
}
