package io.steward.gateway;

import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** A real primary on 127.0.0.1 and a free port, over an H2 file in a temp folder, with an admin client. */
public final class TestPrimary implements AutoCloseable {
    public final StewardServer server;
    public final Http admin;

    public TestPrimary(Path dataDir) {
        this(ServerConfig.defaults(dataDir).withGateway(new GatewayConfig("127.0.0.1", 0, 64 * 1024)));
    }

    public TestPrimary(ServerConfig config) {
        try {
            server = StewardServer.start(config);
            admin = new Http(server.url(), server.adminToken());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client holding a new token of the given role. */
    public Http withRole(String role) {
        Http.Answer created = admin.post("/api/v1/tokens", java.util.Map.of("name", role + "-" + System.nanoTime(), "role", role));
        if (created.status() != 201) {
            throw new AssertionError("token create failed: " + created.body());
        }
        return admin.as((String) created.json().get("token"));
    }

    public Http.Answer push(String name, String source) {
        Http.Answer a = admin.post("/api/v1/scripts", java.util.Map.of("name", name, "source", source));
        if (a.status() != 201 && a.status() != 200) {
            throw new AssertionError("push failed: " + a.body());
        }
        return a;
    }

    /** A JSON object from an answer, typed for assertions. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @Override
    public void close() {
        server.close();
    }
}
