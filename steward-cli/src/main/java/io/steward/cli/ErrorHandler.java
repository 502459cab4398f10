package io.steward.cli;

import io.steward.client.StewardApiException;
import picocli.CommandLine;

/**
 * Prints what went wrong in one line, without a stack trace unless {@code --verbose} (on any command of the line, or
 * STEWARD_VERBOSE) asks. Errors in the user's input exit with 2 — including every 4xx answer of the server: an
 * unknown run, a bad name, a missing token — and everything else (the server unreachable, a 5xx) with 1.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        if (verbose(parsed) || System.getenv("STEWARD_VERBOSE") != null) {
            e.printStackTrace(cli.getErr());
        }
        cli.getErr().println(Terminal.of(cli.getErr()).red("error: ") + message(e));
        cli.getErr().flush();
        if (e instanceof StewardApiException api) {
            return api.status() >= 400 && api.status() < 500 ? ExitCodes.USAGE : ExitCodes.FAILED;
        }
        return e instanceof IllegalArgumentException || e instanceof io.steward.engine.ScriptNotFoundException
                || e instanceof io.steward.engine.ScriptCompileException ? ExitCodes.USAGE : ExitCodes.FAILED;
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        // A run token's 401 says the run has ended: another token would not be the fix.
        if (e instanceof StewardApiException api && api.status() == 401 && !m.contains("run token")) {
            return m + " — pass --token TOKEN or set STEWARD_TOKEN, or store one with `steward login URL`"
                    + " (on the server's machine the CLI reads <data>/admin.token)";
        }
        return m;
    }
}
