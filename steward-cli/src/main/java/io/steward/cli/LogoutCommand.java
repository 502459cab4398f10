package io.steward.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code steward logout [NAME]}: forgets the token of the current (or named) context. The context stays, with its
 * server, so that {@code steward login} to it again or {@code context rm} are the user's next choices. The server is
 * not told: a token may be shared by several machines, and revoking it is {@code steward token revoke}.
 */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = {"Remove the stored token of the current context (or of NAME) from ~/.config/steward/config.",
                "The context and its server stay (see `steward context rm`); the token stays valid on the server",
                "(see `steward token revoke`)."})
final class LogoutCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", arity = "0..1", description = "The context (default: the current one).")
    String name;

    @Option(names = "--json", description = "Print {context, server, loggedOut} as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Environment environment = Steward.of(spec).environment;
        Contexts contexts = ConfigFile.read(environment.configFile());
        String context = name != null ? name : contexts.current();
        if (context == null) {
            throw new IllegalArgumentException("no current context to log out of — name one: `steward logout NAME` (see `steward context list`)");
        }
        Contexts.Context before = contexts.require(context);
        if (before.token() != null) {
            ConfigFile.write(environment.configFile(), contexts.logout(context));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("context", context);
            answer.put("server", before.server());
            answer.put("loggedOut", before.token() != null);
            out.println(Json.write(answer));
        } else if (before.token() != null) {
            out.println("logged out of " + context + " (" + before.server() + "): its token is no longer stored here");
        } else {
            out.println("context " + context + " (" + before.server() + ") had no stored token");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
