package io.steward.cli;

import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import io.steward.tls.ServerTls;
import io.steward.tls.TlsContexts;
import io.steward.tls.TlsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Certificates and keys as openssl makes them, not only as {@code steward tls init} does: an RSA key in PKCS#8 and in
 * the older PKCS#1 form, an EC key in SEC1 form, and a PKCS12 keystore; a primary serves HTTPS with each. A key that
 * does not belong to the certificate and an encrypted key are refused with messages that name the file.
 */
class PrimaryTakesCommonKeyFormatsTest {
    @TempDir
    Path dir;

    @Test
    void rsaAndEcKeysInEveryPemFormAndAKeystoreServeHttps() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa8.key", "-out", "rsa.pem", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        openssl("pkey", "-in", "rsa8.key", "-traditional", "-out", "rsa1.key");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec1.key");
        openssl("req", "-x509", "-key", "ec1.key", "-out", "ec.pem", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1");
        openssl("pkcs12", "-export", "-in", "rsa.pem", "-inkey", "rsa8.key", "-out", "rsa.p12", "-passout", "pass:s3cret");
        assertThat(Files.readString(dir.resolve("rsa8.key"))).contains("BEGIN PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("rsa1.key"))).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("ec1.key"))).contains("BEGIN EC PRIVATE KEY");

        serves(new ServerTls(dir.resolve("rsa.pem"), dir.resolve("rsa8.key"), null, null, null), dir.resolve("rsa.pem"));
        serves(new ServerTls(dir.resolve("rsa.pem"), dir.resolve("rsa1.key"), null, null, null), dir.resolve("rsa.pem"));
        serves(new ServerTls(dir.resolve("ec.pem"), dir.resolve("ec1.key"), null, null, null), dir.resolve("ec.pem"));
        serves(new ServerTls(null, null, dir.resolve("rsa.p12"), "s3cret", null), dir.resolve("rsa.pem"));

        assertThatThrownBy(() -> new ServerTls(dir.resolve("rsa.pem"), dir.resolve("ec1.key"), null, null, null).sslContext())
                .isInstanceOf(TlsException.class).hasMessageContaining("ec1.key").hasMessageContaining("belongs to the certificate");
        assertThatThrownBy(() -> new ServerTls(null, null, dir.resolve("rsa.p12"), "wrong", null).sslContext())
                .isInstanceOf(TlsException.class).hasMessageContaining("rsa.p12").hasMessageContaining("password");
        openssl("pkey", "-in", "rsa8.key", "-aes256", "-passout", "pass:x", "-out", "enc.key");
        assertThatThrownBy(() -> new ServerTls(dir.resolve("rsa.pem"), dir.resolve("enc.key"), null, null, null).sslContext())
                .isInstanceOf(TlsException.class).hasMessageContaining("encrypted").hasMessageContaining("enc.key");
    }

    private void serves(ServerTls tls, Path trust) throws Exception {
        Path data = Files.createTempDirectory(dir, "data");
        try (StewardServer server = StewardServer.start(ServerConfig.defaults(data)
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20).withTls(tls)));
             StewardClient client = StewardClient.connect(server.url(), null, TlsContexts.client(trust))) {
            assertThat(client.health()).as("%s", tls).containsEntry("status", "ok");
        }
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", String.join(" ", args), out).isZero();
    }
}
