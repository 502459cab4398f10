package io.steward.gateway;

/**
 * Where and how the gateway listens.
 *
 * @param bind     the address to bind; 127.0.0.1 unless the operator opens it with {@code --bind}
 * @param port     the TCP port; 0 picks a free one
 * @param maxBody  the largest request body accepted, in bytes (larger ones get 413)
 */
public record GatewayConfig(String bind, int port, long maxBody) {
    public static final int DEFAULT_PORT = 7640;
    public static final long DEFAULT_MAX_BODY = 2L << 20;

    public static GatewayConfig loopback(int port) {
        return new GatewayConfig("127.0.0.1", port, DEFAULT_MAX_BODY);
    }
}
