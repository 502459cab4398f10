package io.steward.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's files are served without a token, unknown paths still 404, and ?access_token= works only where documented. */
class WebConsoleServingTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void start() {
        primary = new TestPrimary(dir);
    }

    @AfterEach
    void stop() {
        primary.close();
    }

    @Test
    void staticFilesNeedNoTokenAndUnknownPathsAre404() {
        Http anonymous = primary.admin.as(null);
        Http.Answer index = anonymous.get("/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type").orElse("")).contains("text/html");
        assertThat(index.body()).contains("<script type=\"module\"");
        assertThat(anonymous.get("/js/app.js").status()).isEqualTo(200);
        Http.Answer missing = anonymous.get("/no/such/page.html");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("not_found");
        assertThat(anonymous.get("/api/v1/nope").status()).as("unknown API paths stay 404").isEqualTo(404);
        assertThat(anonymous.get("/api/v1/runs").status()).as("the API still needs a token").isEqualTo(401);
    }

    @Test
    void accessTokenQueryParameterOnlyForEventsAndOutput() {
        primary.push("one.groovy", "1");
        String id = (String) primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "one.groovy")).json().get("id");
        Http anonymous = primary.admin.as(null);
        String viewer = primary.withRole("viewer").token();
        assertThat(anonymous.get("/api/v1/runs/" + id + "/events?access_token=" + viewer).status()).isEqualTo(200);
        assertThat(anonymous.get("/api/v1/runs/" + id + "/output?access_token=" + viewer).status()).isEqualTo(200);
        Http.Answer stream = anonymous.get("/api/v1/runs/" + id + "/events?access_token=" + viewer,
                Map.of("Accept", "text/event-stream"));
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.body()).contains("event: state");
        assertThat(anonymous.get("/api/v1/runs/" + id + "/events?access_token=stw_forged").status()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/runs/" + id + "?access_token=" + viewer).status())
                .as("other routes ignore the query token").isEqualTo(401);
        assertThat(anonymous.get("/api/v1/whoami?access_token=" + viewer).status()).isEqualTo(401);
    }

    @Test
    void aReconnectingEventSourceResumesAfterLastEventIdWithTheQueryToken() {
        primary.push("two.groovy", "status.set('a', 1); status.set('b', 2); 3");
        String id = (String) primary.admin.post("/api/v1/runs?wait=30s", Map.of("script", "two.groovy")).json().get("id");
        Http anonymous = primary.admin.as(null);
        String url = "/api/v1/runs/" + id + "/events?access_token=" + primary.withRole("viewer").token();
        String whole = anonymous.get(url, Map.of("Accept", "text/event-stream")).body();
        // What the browser sends when it reconnects: the same URL, plus the last id it saw.
        String resumed = anonymous.get(url, Map.of("Accept", "text/event-stream", "Last-Event-ID", "2")).body();
        assertThat(whole).contains("id: 1\n", "id: 2\n", "id: 3\n");
        assertThat(resumed).doesNotContain("id: 1\n", "id: 2\n").contains("id: 3\n");
        assertThat(whole).endsWith(resumed.substring(resumed.indexOf("id: 3\n")));
    }
}
