package io.steward.gateway;

import io.javalin.config.JavalinConfig;
import io.steward.tls.ServerTls;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.SSLContext;

/**
 * The HTTPS connector of a primary with TLS on (docs/tls.md): the API, the web console and the agent link (as wss)
 * on the one port, and nothing in plain HTTP. The {@link SSLContext} is built from the certificate files before
 * Jetty starts, so a bad file stops the start with a message that names it.
 *
 * <p>With a client CA, the connector asks every client for a certificate ("want", not "need": the CLI and browsers
 * have none) and the JDK refuses any that does not chain to that CA during the handshake; the agent link then
 * refuses agents that sent none ({@link io.steward.nodes.AgentLink}).
 */
final class TlsConnector {
    private TlsConnector() {
    }

    static void add(JavalinConfig cfg, GatewayConfig config) {
        ServerTls tls = config.tls();
        SSLContext context = tls.sslContext();
        cfg.jetty.addConnector((server, http) -> {
            SslContextFactory.Server factory = new SslContextFactory.Server();
            factory.setSslContext(context);
            factory.setWantClientAuth(tls.requiresClientCertificates());
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // a client that reaches the primary by an address the certificate does not name is refused by the
            // client's own host check; a second check here would only turn that into a confusing 400
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(factory, "http/1.1"),
                    new HttpConnectionFactory(https));
            connector.setHost(config.bind());
            connector.setPort(config.port());
            return connector;
        });
    }
}
