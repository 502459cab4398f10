package io.steward.server;

import io.steward.gateway.GatewayConfig;

import java.nio.file.Path;

/** A primary in its own JVM for crash tests: prints its URL, then serves until killed. Args: DATA_DIR. */
public final class TestServerMain {
    public static void main(String[] args) throws Exception {
        StewardServer server = StewardServer.start(ServerConfig.defaults(Path.of(args[0]))
                .withGateway(new GatewayConfig("127.0.0.1", 0, GatewayConfig.DEFAULT_MAX_BODY)));
        System.out.println("URL " + server.url());
        System.out.flush();
        Thread.currentThread().join();
    }
}
