package io.steward.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which server the CLI talks to and with which token. Each comes from the first of: the flag ({@code --server},
 * {@code --token}), the environment ({@code STEWARD_SERVER}, {@code STEWARD_TOKEN}), the files a server writes into
 * its data directory ({@code <data>/server.url}, {@code <data>/admin.token}), where the data directory is
 * {@code --data}, else {@code STEWARD_DATA}, else {@code ~/.steward}. Without any of them the server is the
 * default address, {@code http://127.0.0.1:7640}.
 *
 * <p>The trap: {@code admin.token} is this machine's admin key. It is sent only to the server of that same data
 * directory (or the default local address), never to a server named by flag or environment, so that
 * {@code steward --server https://elsewhere …} cannot leak it.
 *
 * @param url   the server's URL
 * @param token the token, or null when none was found (the server will answer 401)
 */
record Connection(String url, String token) {
    static final String DEFAULT_URL = "http://127.0.0.1:7640";

    static Connection resolve(String serverFlag, String tokenFlag, Path dataFlag, Map<String, String> env, Path home) {
        Path data = dataFlag != null ? dataFlag
                : given(env.get("STEWARD_DATA")) != null ? Path.of(env.get("STEWARD_DATA")) : home.resolve(".steward");
        String localUrl = read(data.resolve("server.url"));
        String named = first(serverFlag, env.get("STEWARD_SERVER"));
        String url = named != null ? named : localUrl != null ? localUrl : DEFAULT_URL;
        String token = first(tokenFlag, env.get("STEWARD_TOKEN"));
        if (token == null && (named == null || same(named, localUrl))) {
            token = read(data.resolve("admin.token"));
        }
        return new Connection(url, token);
    }

    private static String first(String flag, String env) {
        return given(flag) != null ? flag.strip() : given(env) != null ? env.strip() : null;
    }

    private static String given(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean same(String a, String b) {
        return b != null && trimSlashes(a).equals(trimSlashes(b));
    }

    private static String trimSlashes(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /**
     * The first line of a file, or null if it is missing, empty or unreadable: an admin token readable only by the
     * server's user simply is not there for anyone else, who then gets the server's 401 with its hint.
     */
    private static String read(Path file) {
        try {
            String text = Files.readString(file).strip();
            int newline = text.indexOf('\n');
            return given(newline < 0 ? text : text.substring(0, newline).strip());
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
