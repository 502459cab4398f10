package io.steward.security;

import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a token every route but the public ones answers 401 with a JSON error (Salt CVE-2020-11651). The routes
 * come from the OpenAPI document the primary serves, so a route added later is checked without touching this test;
 * the public ones are listed here, and a route that becomes public without being added here fails.
 */
class EveryRouteNeedsATokenTest {
    /** What anyone on the network may call; the console's static files are public too (checked below). */
    static final Set<String> PUBLIC = Set.of("get /health", "get /api/v1/openapi.json");
    /** The agent link authenticates itself when the WebSocket opens (AgentLinkRefusesStrangersTest). */
    static final String AGENT_LINK = "get /api/v1/agent";

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void withoutATokenEveryNonPublicRouteAnswers401() {
        try (TestPrimary primary = new TestPrimary(dir)) {
            Http anonymous = primary.admin.as(null);
            Map<String, Object> document = anonymous.get("/api/v1/openapi.json").json();
            Map<String, Object> paths = (Map<String, Object>) document.get("paths");
            List<String> checked = new ArrayList<>();
            for (var path : paths.entrySet()) {
                for (var operation : ((Map<String, Object>) path.getValue()).entrySet()) {
                    String method = operation.getKey();
                    String where = method + " " + path.getKey();
                    Map<String, Object> op = (Map<String, Object>) operation.getValue();
                    boolean declaredPublic = op.get("security") instanceof List<?> s && s.isEmpty();
                    assertThat(declaredPublic).as(where + " is public in the document").isEqualTo(PUBLIC.contains(where));
                    if (PUBLIC.contains(where) || where.equals(AGENT_LINK)) {
                        continue;
                    }
                    String url = path.getKey().replaceAll("\\{[^}]+}", "dummy.groovy");
                    for (String token : new String[] {null, "stw_unknown", "not-a-token"}) {
                        HttpRequest.Builder request = (token == null ? anonymous : anonymous.as(token)).request(url)
                                .method(method.toUpperCase(), HttpRequest.BodyPublishers.ofString("{}"))
                                .header("Content-Type", "application/json");
                        Http.Answer answer = anonymous.send(request);
                        assertThat(answer.status()).as(where + " with token " + token + ": " + answer.body()).isEqualTo(401);
                        assertThat(answer.errorCode()).as(where).isEqualTo("unauthorized");
                        assertThat(answer.errorMessage()).as(where).isNotBlank();
                    }
                    checked.add(where);
                }
            }
            assertThat(checked).hasSizeGreaterThan(40);
            for (String open : PUBLIC) {
                assertThat(anonymous.get(open.substring(4)).status()).as(open).isEqualTo(200);
            }
            assertThat(anonymous.get("/").status()).as("the console's index page").isEqualTo(200);
        }
    }
}
