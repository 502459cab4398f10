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

    /**
     * What redocly.yaml turns off is true only where it says: every operation documents a 2xx but the agent link
     * (a WebSocket: 101), and a 4xx but the two public routes that take nothing; and every 4xx answers the Error schema.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyOperationDocumentsItsSuccessAndItsErrors() throws IOException {
        Map<String, Object> document = new ObjectMapper().readValue(CHECKED_IN.toFile(), Map.class);
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        int operations = 0;
        for (var path : paths.entrySet()) {
            for (var method : ((Map<String, Object>) path.getValue()).entrySet()) {
                operations++;
                String where = method.getKey() + " " + path.getKey();
                Map<String, Object> op = (Map<String, Object>) method.getValue();
                Map<String, Object> responses = (Map<String, Object>) op.get("responses");
                assertThat(op.get("operationId")).as(where).isNotNull();
                if (!where.equals("get /api/v1/agent")) {
                    assertThat(responses.keySet()).as(where).anyMatch(s -> s.startsWith("2"));
                }
                if (!where.equals("get /health") && !where.equals("get /api/v1/openapi.json")) {
                    assertThat(responses.keySet()).as(where).anyMatch(s -> s.startsWith("4"));
                }
                responses.forEach((status, response) -> {
                    if (status.startsWith("4")) {
                        assertThat(response.toString()).as(where + " " + status).contains("#/components/schemas/Error}");
                    }
                });
            }
        }
        assertThat(operations).isGreaterThan(30);
    }

    /** Two-space indentation, one field a line, a final newline: stable and diff-friendly. */
    static String pretty(Map<String, Object> document) throws IOException {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return new ObjectMapper().writer(printer).writeValueAsString(document) + "\n";
    }
}
