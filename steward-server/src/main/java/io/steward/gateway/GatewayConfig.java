package io.steward.gateway;

/**
 * Where and how the gateway listens.
 *
 * @param bind     the address to bind; 127.0.0.1 unless the operator opens it with {@code --bind}
 * @param port     the TCP port; 0 picks a free one
 * @param maxBody  the largest request body accepted, in bytes (larger ones get 413)
 * @param limits   the other limits on what clients control
 * @param tls      HTTPS (and wss for the agent link) on this port instead of plain HTTP; null for plain HTTP
 */
public record GatewayConfig(String bind, int port, long maxBody, Limits limits, io.steward.tls.ServerTls tls) {
    public static final int DEFAULT_PORT = 7640;
    public static final long DEFAULT_MAX_BODY = 2L << 20;

    public GatewayConfig(String bind, int port, long maxBody) {
        this(bind, port, maxBody, Limits.DEFAULTS, null);
    }

    public GatewayConfig(String bind, int port, long maxBody, Limits limits) {
        this(bind, port, maxBody, limits, null);
    }

    public GatewayConfig withTls(io.steward.tls.ServerTls tls) {
        return new GatewayConfig(bind, port, maxBody, limits, tls);
    }

    public static GatewayConfig loopback(int port) {
        return new GatewayConfig("127.0.0.1", port, DEFAULT_MAX_BODY);
    }

    public GatewayConfig withLimits(Limits limits) {
        return new GatewayConfig(bind, port, maxBody, limits, tls);
    }
}
