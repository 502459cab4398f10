package io.steward.gateway;

/**
 * Where and how the gateway listens.
 *
 * @param bind     the address to bind; 127.0.0.1 unless the operator opens it with {@code --bind}
 * @param port     the TCP port; 0 picks a free one
 * @param maxBody  the largest request body accepted, in bytes (larger ones get 413)
 * @param limits   the other limits on what clients control
 */
public record GatewayConfig(String bind, int port, long maxBody, Limits limits) {
    public static final int DEFAULT_PORT = 7640;
    public static final long DEFAULT_MAX_BODY = 2L << 20;

    public GatewayConfig(String bind, int port, long maxBody) {
        this(bind, port, maxBody, Limits.DEFAULTS);
    }

    public static GatewayConfig loopback(int port) {
        return new GatewayConfig("127.0.0.1", port, DEFAULT_MAX_BODY);
    }

    public GatewayConfig withLimits(Limits limits) {
        return new GatewayConfig(bind, port, maxBody, limits);
    }
}
