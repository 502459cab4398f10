package io.steward.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Runs the steward command in-process and captures what it prints. */
record CliRunner(int exitCode, String out, String err) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * With the process's environment but without its {@code STEWARD_*} and {@code XDG_CONFIG_HOME} variables, and an
     * empty home of this JVM's own: the developer's real config and contexts must not steer a test.
     */
    static CliRunner run(String... args) {
        return run(ISOLATED, args);
    }

    private static final Environment ISOLATED = isolated();

    private static Environment isolated() {
        Map<String, String> vars = new java.util.HashMap<>(System.getenv());
        vars.keySet().removeIf(name -> name.startsWith("STEWARD_") || name.equals("XDG_CONFIG_HOME"));
        try {
            Path home = Files.createTempDirectory("steward-cli-home");
            home.toFile().deleteOnExit();
            return new Environment(Map.copyOf(vars), home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** With this environment and home instead of the process's: a test's own config, contexts and data directory. */
    static CliRunner run(Environment environment, String... args) {
        CommandLine cli = Steward.commandLine(environment, null);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRunner(code, out.toString(), err.toString());
    }

    /** What the command printed, read as one JSON object. */
    Map<String, Object> json() {
        return object(out);
    }

    /** Text (a document, or one line of a stream of them) read as a JSON object. */
    static Map<String, Object> object(String text) {
        try {
            return JSON.readValue(text, new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON object: " + text, e);
        }
    }

    /** A value as it comes back from JSON, so that a test's expectation compares equal to what a command printed. */
    static Map<String, Object> roundTrip(Object value) {
        try {
            return object(JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
