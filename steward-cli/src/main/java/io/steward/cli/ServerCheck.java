package io.steward.cli;

import io.steward.client.StewardApiException;
import io.steward.client.StewardClient;

import java.util.Map;

/**
 * Asks a server whether it is a Steward server and whether it takes a token, before {@code login} stores them or the
 * shell's {@code connect} switches to them: first {@code GET /health} (no token), then {@code GET /api/v1/whoami}
 * (any role may call it, so it tests the token and nothing else). Each refusal is an exception whose message says
 * what is wrong and what to do; a wrong token is the user's input (exit 2), an unreachable server is not (exit 1).
 */
final class ServerCheck {
    /** Who the token is on the server. */
    record Identity(String url, String version, String name, String role) {
    }

    private ServerCheck() {
    }

    static Identity check(String url, String token) {
        return check(url, token, null);
    }

    /** @param caCert the CA an {@code https:} server's certificate must chain to, or null for the JDK's CA store */
    static Identity check(String url, String token, java.nio.file.Path caCert) {
        try (StewardClient client = Connection.client(url, token, caCert)) {
            Map<String, Object> health;
            try {
                health = client.health();
            } catch (StewardApiException e) {
                if (e.noAnswer()) {
                    throw new IllegalStateException(e.getMessage());
                }
                throw new IllegalArgumentException(client.url() + " answered, but not as a Steward server (" + e.getMessage()
                        + ") — check the URL: it is the one `steward server` prints, like http://host:7640");
            }
            if (token == null) {
                throw new IllegalArgumentException("no token for " + client.url()
                        + " — pass --token TOKEN or set STEWARD_TOKEN (an admin makes one with `steward token create --role operator --name NAME`)");
            }
            Map<String, Object> who;
            try {
                who = client.whoami();
            } catch (StewardApiException e) {
                if (e.status() == 401 || e.status() == 403) {
                    throw new IllegalArgumentException("the server at " + client.url() + " refused the token (" + e.getMessage()
                            + ") — pass a valid one with --token or STEWARD_TOKEN; an admin makes one with "
                            + "`steward token create --role operator --name NAME`");
                }
                throw e;
            }
            return new Identity(client.url(), Format.value(health.get("version")), Format.value(who.get("name")),
                    Format.value(who.get("role")));
        }
    }
}
