package io.steward.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.PrintWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code steward login URL}: checks the server and the token ({@link ServerCheck}), then stores them as a context of
 * the user's config and makes it current. Nothing is written unless both checks pass, so a typo never replaces a
 * working token.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Check a server and a token, then store them as the current context (in ~/.config/steward/config).",
                "Later commands use it without --server or --token. The token comes from --token, else $STEWARD_TOKEN,",
                "else a prompt on a terminal (not echoed). The file is mode 0600. Nothing is stored when the server is",
                "unreachable (exit 1) or refuses the token (exit 2)."})
final class LoginCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "The server, e.g. https://steward.example.com or http://host:7640.")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The API token (default: $STEWARD_TOKEN, else asked). Prefer the variable or the prompt: other users can see command lines.")
    String token;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The context's name (default: from the host, e.g. steward.example.com or localhost-7640).")
    String name;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "The CA certificate (PEM) an https server's certificate chains to (default: $STEWARD_CA_CERT); "
                    + "stored in the context, so later commands trust the server too. See docs/tls.md.")
    java.nio.file.Path caCert;

    @Option(names = "--json", description = "Print {context, server, name, role} as JSON (never the token).")
    boolean json;

    @Override
    public Integer call() {
        Steward root = Steward.of(spec);
        String context = Contexts.checkName(name != null ? name : nameFor(url));
        String secret = token != null ? token : root.token != null ? root.token : root.environment.get("STEWARD_TOKEN");
        if (secret == null) {
            secret = ask(url);
        }
        // read before checking, so that a broken config fails the login before the server is asked anything
        Contexts contexts = ConfigFile.read(root.environment.configFile());
        String caVar = root.environment.get("STEWARD_CA_CERT");
        java.nio.file.Path ca = caCert != null ? caCert : caVar != null && !caVar.isBlank() ? java.nio.file.Path.of(caVar.strip()) : null;
        ca = ca == null ? null : ca.toAbsolutePath().normalize(); // the context is used from any directory
        ServerCheck.Identity who = ServerCheck.check(url, secret, ca);
        ConfigFile.write(root.environment.configFile(), contexts.put(new Contexts.Context(context, who.url(), secret, ca)));

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("context", context);
            answer.put("server", who.url());
            answer.put("name", who.name());
            answer.put("role", who.role());
            out.println(Json.write(answer));
        } else {
            out.println("logged in to " + who.url() + " (Steward " + who.version() + ") as " + who.name() + " (" + who.role()
                    + "); context " + context + " is now current");
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * A name people would say: the host, with the port when it is not the scheme's default, since several servers on
     * one host (a lab's 7640 and 7641) are common and would otherwise overwrite each other.
     */
    static String nameFor(String url) {
        String u = url.contains("://") ? url.strip() : "http://" + url.strip();
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + url + "' is not a Steward server URL: expected e.g. http://127.0.0.1:7640");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not a Steward server URL: expected e.g. http://127.0.0.1:7640");
        }
        String raw = uri.getHost().toLowerCase(Locale.ROOT);
        // an IPv6 literal ([::1]) would otherwise shrink to its last digits
        String host = (raw.startsWith("[") ? "ip6-" : "") + raw.replaceAll("[^a-z0-9._]+", "-").replaceAll("^[^a-z0-9]+|-+$", "");
        return uri.getPort() < 0 ? host : host + "-" + uri.getPort();
    }

    /** The token from the terminal without echo; without a terminal there is no one to ask. */
    private static String ask(String url) {
        Console console = System.console();
        if (console == null || !Terminal.detectTerminal()) {
            throw new IllegalArgumentException("no token for " + url
                    + " — pass --token TOKEN or set STEWARD_TOKEN (an admin makes one with `steward token create --role operator --name NAME`)");
        }
        char[] typed = console.readPassword("token for %s: ", url);
        if (typed == null || typed.length == 0) {
            throw new IllegalArgumentException("no token given — type it at the prompt, or pass --token TOKEN or set STEWARD_TOKEN");
        }
        return new String(typed).strip();
    }
}
