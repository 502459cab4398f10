package io.steward.cli;

import picocli.CommandLine;

/**
 * Prints what went wrong in one line, without a stack trace unless {@code --verbose} (or STEWARD_VERBOSE) asks.
 * Errors in the user's input exit with 2; everything else with 1.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.hasMatchedOption("--verbose") || System.getenv("STEWARD_VERBOSE") != null;
        if (verbose) {
            e.printStackTrace(cli.getErr());
        }
        cli.getErr().println(Terminal.of(cli.getErr()).red("error: ") + message(e));
        return e instanceof IllegalArgumentException || e instanceof io.steward.engine.ScriptNotFoundException
                || e instanceof io.steward.engine.ScriptCompileException ? ExitCodes.USAGE : ExitCodes.FAILED;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
