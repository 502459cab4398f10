package io.steward.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which server the CLI talks to and with which token. The server comes from the first of: the flag
 * ({@code --server}); the context named by {@code --context}; the environment ({@code STEWARD_SERVER}); the context
 * named by {@code STEWARD_CONTEXT}, else the current one of the user's config ({@link Contexts}, written by
 * {@code steward login}); the files a server writes into its data directory ({@code <data>/server.url}); the default
 * address, {@code http://127.0.0.1:7640}. The data directory is {@code --data}, else {@code STEWARD_DATA}, else
 * {@code ~/.steward}.
 *
 * <p>The token comes from the same order ({@code --token}, {@code STEWARD_TOKEN}, the context, {@code admin.token}),
 * but the stored ones are bound to their server. The trap: {@code admin.token} is this machine's admin key and a
 * context's token is the key of that context's server. Each is sent only to its own server — {@code admin.token} to
 * the server of that same data directory (or the default local address), a context's token to the context's server
 * (any context whose server it is, so {@code --server URL} of a logged-in server needs no token) — never to another
 * server named by flag or environment, so that {@code steward --server https://elsewhere …} cannot leak them.
 *
 * @param url     the server's URL
 * @param token   the token, or null when none was found (the server will answer 401)
 * @param context the name of the context whose server this is, or null
 * @param caCert  the CA certificate that an {@code https:} server's certificate must chain to ({@code --ca-cert}, else
 *                {@code STEWARD_CA_CERT}, else the context's); null for the JDK's CA store. Not a secret, so it
 *                comes from any of these whatever the server.
 */
record Connection(String url, String token, String context, Path caCert) {
    static final String DEFAULT_URL = "http://127.0.0.1:7640";

    Connection(String url, String token) {
        this(url, token, null, null);
    }

    Connection(String url, String token, String context) {
        this(url, token, context, null);
    }

    /** A client of this server, trusting {@link #caCert} for an {@code https:} one. */
    io.steward.client.StewardClient client() {
        return client(url, token, caCert);
    }

    static io.steward.client.StewardClient client(String url, String token, Path caCert) {
        boolean https = url != null && url.strip().regionMatches(true, 0, "https:", 0, 6);
        return io.steward.client.StewardClient.connect(url, token,
                https && caCert != null ? io.steward.tls.TlsContexts.client(caCert) : null);
    }

    /** This connection with {@code --ca-cert} (or {@code STEWARD_CA_CERT}) in force over a context's CA. */
    Connection withCaCert(Path flag, Environment env) {
        Path ca = flag != null ? flag : env.get("STEWARD_CA_CERT") != null && !env.get("STEWARD_CA_CERT").isBlank()
                ? Path.of(env.get("STEWARD_CA_CERT").strip()) : caCert;
        return new Connection(url, token, context, ca);
    }

    /** Without contexts: what the tests of the data-directory rules call. */
    static Connection resolve(String serverFlag, String tokenFlag, Path dataFlag, Map<String, String> env, Path home) {
        return resolve(serverFlag, tokenFlag, null, dataFlag, new Environment(env, home));
    }

    static Connection resolve(String serverFlag, String tokenFlag, String contextFlag, Path dataFlag, Environment env) {
        if (given(serverFlag) != null && given(tokenFlag) != null && given(contextFlag) == null) {
            // all said on the command line: a config file broken by hand must not stand in the way
            return new Connection(serverFlag.strip(), tokenFlag.strip());
        }
        Path data = dataFlag != null ? dataFlag : env.get("STEWARD_DATA") != null ? Path.of(env.get("STEWARD_DATA")) : env.home().resolve(".steward");
        String localUrl = read(data.resolve("server.url"));
        Contexts contexts = ConfigFile.read(env.configFile());
        String pinnedName = given(contextFlag);
        String contextName = pinnedName != null ? pinnedName : env.get("STEWARD_CONTEXT");
        Optional<Contexts.Context> context = contextName != null ? Optional.of(contexts.require(contextName)) : contexts.currentContext();
        Optional<Contexts.Context> pinned = pinnedName != null ? context : Optional.empty();

        String url = first(given(serverFlag), pinned.map(Contexts.Context::server).orElse(null), env.get("STEWARD_SERVER"),
                context.map(Contexts.Context::server).orElse(null));
        boolean named = url != null;
        if (url == null) {
            url = localUrl != null ? localUrl : DEFAULT_URL;
        }
        String target = url;
        // the context in force if it is this server's, else any context of this server
        Optional<Contexts.Context> own = context.filter(c -> sameServer(c.server(), target)).or(() -> contexts.forServer(target));
        String stored = own.map(Contexts.Context::token).orElse(null);
        String token = first(given(tokenFlag), pinned.isPresent() ? stored : null, env.get("STEWARD_TOKEN"), stored);
        if (token == null && (!named || sameServer(url, localUrl))) {
            token = read(data.resolve("admin.token"));
        }
        return new Connection(url, token, own.map(Contexts.Context::name).orElse(null),
                own.map(Contexts.Context::caCert).orElse(null));
    }

    /** Whether two server URLs are the same server, ignoring surrounding blanks and trailing slashes. */
    static boolean sameServer(String a, String b) {
        return a != null && b != null && trimSlashes(a).equals(trimSlashes(b));
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String given(String value) {
        return value == null || value.isBlank() ? null : value.strip();
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
