package io.steward.gateway;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/openapi.json is the document a primary serves, byte for byte (pretty-printed): reviewers read API changes in
 * its diff, and the generated-client test (steward-api-client-test) builds its client from it. A route or record
 * change without the file's update fails here; {@code -Dsteward.openapi.write=true} rewrites it.
 */
class OpenApiDocumentIsCheckedInTest {
    static final Path CHECKED_IN = Path.of("..", "docs", "openapi.json");

    @TempDir
    Path dir;

    @Test
    void theCheckedInDocumentIsTheOneThePrimaryServes() throws IOException {
        String served;
        try (TestPrimary primary = new TestPrimary(dir)) {
            served = pretty(primary.admin.get("/api/v1/openapi.json").json());
        }
        if (Boolean.getBoolean("steward.openapi.write")) {
            Files.writeString(CHECKED_IN, served);
        }
        assertThat(CHECKED_IN).as("docs/openapi.json; rewrite it with -Dsteward.openapi.write=true").exists();
        assertThat(Files.readString(CHECKED_IN))
                .as("docs/openapi.json is not what the primary serves; rewrite it with -Dsteward.openapi.write=true")
                .isEqualTo(served);
    }

    /** Two-space indentation, one field a line, a final newline: stable and diff-friendly. */
    static String pretty(Map<String, Object> document) throws IOException {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return new ObjectMapper().writer(printer).writeValueAsString(document) + "\n";
    }
}
