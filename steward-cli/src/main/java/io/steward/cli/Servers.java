package io.steward.cli;

import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;

import java.io.IOException;
import java.net.BindException;

/** Starts a primary, turning the usual start-up failures into messages that say what to do. */
final class Servers {
    private Servers() {
    }

    static StewardServer start(ServerConfig config) throws IOException {
        try {
            return StewardServer.start(config);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause != null) {
                if (cause instanceof BindException) {
                    throw new IllegalStateException("cannot listen on " + config.gateway().bind() + ":"
                            + config.gateway().port() + " (" + cause.getMessage()
                            + "): is another server running there? Pass --port to choose another.", e);
                }
                cause = cause.getCause();
            }
            throw e;
        }
    }
}
