package io.steward.client;

import io.steward.testkit.FakeApi;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every way a call fails ends as one StewardApiException whose message a person can act on. */
class ErrorAnswersTest {

    @Test
    void theJsonErrorBodyBecomesStatusCodeMessageAndDetails() throws Exception {
        try (FakeApi api = FakeApi.start(); StewardClient client = StewardClient.connect(api.url(), "t")) {
            api.json("POST", "/api/v1/scripts", 400, Map.of("error", Map.of("code", "bad_request",
                    "message", "broken.groovy:1:9: unexpected end of input",
                    "details", Map.of("script", "broken.groovy", "line", 1, "column", 9))));
            api.on("GET", "/api/v1/runs/nope", (req, reply) -> reply.error(404, "not_found", "no run 'nope'"));

            StewardApiException compile = catchThrowableOfType(StewardApiException.class,
                    () -> client.pushScript("broken.groovy", "def x = ("));
            assertThat(compile.status()).isEqualTo(400);
            assertThat(compile.code()).isEqualTo("bad_request");
            assertThat(compile.getMessage()).isEqualTo("broken.groovy:1:9: unexpected end of input");
            assertThat(compile.details()).isEqualTo(Map.of("script", "broken.groovy", "line", 1, "column", 9));
            assertThat(compile.noAnswer()).isFalse();

            StewardApiException missing = catchThrowableOfType(StewardApiException.class, () -> client.run("nope"));
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.code()).isEqualTo("not_found");
            assertThat(missing.getMessage()).isEqualTo("no run 'nope'");
        }
    }

    @Test
    void aRefusedTokenOnACallWithABodyKeepsTheServersWords() throws Exception {
        // HttpURLConnection drops a 401's body when the request body was streamed: the words must survive
        try (FakeApi api = FakeApi.start(); StewardClient client = StewardClient.connect(api.url(), "t")) {
            api.on("POST", "/api/v1/runs/r1/status", (req, reply) -> reply.text(401, "application/json",
                    "{\"error\": {\"code\": \"unauthorized\", \"message\": \"a run token works only while the run is live\"}}",
                    Map.of("WWW-Authenticate", "Bearer")));
            StewardApiException refused = catchThrowableOfType(StewardApiException.class, () -> client.setStatus("r1", "k", 1));
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.getMessage()).isEqualTo("a run token works only while the run is live");
        }
    }

    @Test
    void anAnswerThatIsNotTheApisErrorIsDescribedByStatusAndText() throws Exception {
        try (FakeApi api = FakeApi.start(); StewardClient client = StewardClient.connect(api.url(), "t")) {
            api.on("GET", "/api/v1/server", (req, reply) ->
                    reply.text(502, "text/html", "<h1>Bad Gateway</h1>\n<p>nginx</p>", Map.of()));
            api.json("GET", "/api/v1/nodes", 200, Map.of("machines", 3));

            assertThatThrownBy(client::server).isInstanceOfSatisfying(StewardApiException.class, e -> {
                assertThat(e.status()).isEqualTo(502);
                assertThat(e.code()).isEqualTo("http_502");
                assertThat(e.getMessage()).isEqualTo("the server at " + api.url() + " answered HTTP 502: <h1>Bad Gateway</h1>");
            });
            assertThatThrownBy(client::nodes).isInstanceOfSatisfying(StewardApiException.class, e ->
                    assertThat(e.code()).isEqualTo(StewardApiException.BAD_RESPONSE));
        }
    }

    @Test
    void aServerThatIsNotThereIsNamedWithTheFix() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (StewardClient client = StewardClient.connect("127.0.0.1:" + port, "t")) {
            assertThatThrownBy(client::scripts).isInstanceOfSatisfying(StewardApiException.class, e -> {
                assertThat(e.status()).isZero();
                assertThat(e.code()).isEqualTo(StewardApiException.UNREACHABLE);
                assertThat(e.noAnswer()).isTrue();
                assertThat(e.getMessage()).isEqualTo("cannot reach the Steward server at http://127.0.0.1:" + port
                        + ": connection refused — is it running? (start it with `steward server`)");
            });
        }
    }

    @Test
    void aUrlThatIsNoServerIsRefusedAtOnce() {
        assertThatThrownBy(() -> StewardClient.connect("ftp://example.com", "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'ftp://example.com' is not a Steward server URL: expected e.g. http://127.0.0.1:7640");
        assertThatThrownBy(() -> StewardClient.connect("http://host:7640/?x=1", "t")).isInstanceOf(IllegalArgumentException.class);
        assertThat(StewardClient.connect("localhost:7640", null).url()).isEqualTo("http://localhost:7640");
    }
}
