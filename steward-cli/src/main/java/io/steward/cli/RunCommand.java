package io.steward.cli;

import io.steward.client.RunStates;
import io.steward.client.StewardClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code steward run NAME}: invokes a stored script on the server. Alone it prints the run id and returns at once;
 * {@code --wait} waits and prints the outcome; {@code --follow} prints the events and process output live as well.
 * Both exit with the run's outcome (see {@link ExitCodes}). Ctrl-C stops the watching, not the run.
 */
@Command(name = "run", description = {"Run a stored script on the server.",
        "Prints the run id; with --wait the outcome; with --follow live events and output, then the outcome.",
        "With --wait or --follow the exit code tells the outcome: 0 SUCCEEDED, 1 FAILED, 3 CANCELLED, 4 TIMED_OUT, 5 LOST.",
        "--json prints the run; with --follow, one JSON object per line: each event, then the run.",
        "Inside a process a run started ($STEWARD_RUN_ID is set) the new run is a child of that run (see --parent).",
        "--retry N runs it up to N times in all while it ends FAILED, TIMED_OUT or LOST; each attempt is a run of its",
        "own and sees its number in args.retry.attempt. --wait and --follow then follow every attempt to the last."})
final class RunCommand implements Callable<Integer> {
    /** How long one invoke request waits for the end before the CLI follows the stream instead (see call()). */
    private static final Duration WAIT_IN_REQUEST = Duration.ofSeconds(30);
    /** A child's --wait is one request: its run token cannot follow the child's stream afterwards. */
    private static final Duration CHILD_WAIT = Duration.ofHours(1);

    @Mixin
    RemoteOptions remote;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "NAME", description = "The stored script, e.g. deploy/web.groovy.")
    String script;

    @Option(names = "--version", paramLabel = "N", description = "Run this version of the script (default: the latest).")
    Integer version;

    @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "An argument, as a string (repeatable).")
    Map<String, String> arg = new LinkedHashMap<>();

    @Option(names = "--args-json", paramLabel = "JSON", description = "Arguments as a JSON object; --arg adds to them.")
    String argsJson;

    @picocli.CommandLine.Mixin
    SecretArgOptions secretArgs;

    @Option(names = "--on", paramLabel = "SELECTOR",
            description = "Run on these nodes, one child run each: a name, a glob (web-*), labels (role=web,env=prod), all, or a comma list.")
    String on;

    @Option(names = "--parallel", paramLabel = "N", description = "With --on: at most N nodes at once (default: all).")
    Integer parallel;

    @Option(names = "--fail-fast", description = "With --on: cancel the other nodes on the first failure.")
    boolean failFast;

    @Option(names = "--allow-empty", description = "With --on: a selector that matches no node is not an error.")
    boolean allowEmpty;

    @Option(names = "--retry", paramLabel = "N",
            description = "Attempts in all (the first included) while the run ends FAILED, TIMED_OUT or LOST.")
    Integer retry;

    @Option(names = "--backoff", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --retry: wait this long before the first retry (default: 0).")
    Duration backoff;

    @Option(names = "--backoff-factor", paramLabel = "F",
            description = "With --retry: each later wait is F times the one before (default: 1, a fixed wait).")
    Double backoffFactor;

    @Option(names = "--max-backoff", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --retry: no wait longer than this.")
    Duration maxBackoff;

    /** The body's fan-out and retry members, which the client sends beside script, args and timeout. */
    private java.util.Map<String, Object> extra() {
        java.util.Map<String, Object> extra = withSecretArgs(retryAndFanOut());
        return extra;
    }

    /** Adds {@code secretArgs}, from --secret-arg and --secret-arg-env, to the body's extra members. */
    private java.util.Map<String, Object> withSecretArgs(java.util.Map<String, Object> extra) {
        Map<String, Object> secrets = secretArgs.read(Steward.of(remote.command).environment::get);
        if (secrets.isEmpty()) {
            return extra;
        }
        extra = extra == null ? new java.util.LinkedHashMap<>() : extra;
        extra.put("secretArgs", secrets);
        return extra;
    }

    private java.util.Map<String, Object> retryAndFanOut() {
        java.util.Map<String, Object> extra = fanOut();
        if (retry == null) {
            if (backoff != null || backoffFactor != null || maxBackoff != null) {
                throw new IllegalArgumentException("--backoff, --backoff-factor and --max-backoff go with --retry N");
            }
            return extra;
        }
        java.util.Map<String, Object> policy = new java.util.LinkedHashMap<>();
        policy.put("attempts", retry);
        if (backoff != null) {
            policy.put("backoff", backoff.toMillis());
        }
        if (backoffFactor != null) {
            policy.put("factor", backoffFactor);
        }
        if (maxBackoff != null) {
            policy.put("maxBackoff", maxBackoff.toMillis());
        }
        extra = extra == null ? new java.util.LinkedHashMap<>() : extra;
        extra.put("retry", policy);
        return extra;
    }

    private java.util.Map<String, Object> fanOut() {
        if (on == null) {
            if (parallel != null || failFast || allowEmpty) {
                throw new IllegalArgumentException("--parallel, --fail-fast and --allow-empty go with --on SELECTOR");
            }
            return null;
        }
        java.util.Map<String, Object> f = new java.util.LinkedHashMap<>();
        f.put("on", on);
        f.put("parallel", parallel);
        f.put("failFast", failFast);
        f.put("allowEmpty", allowEmpty);
        return f;
    }

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop the run after this long: 500ms, 30s, 5m, 1h.")
    Duration timeout;

    @Option(names = "--parent", paramLabel = "RUN",
            description = "Start the run as a child of this running run (default: $STEWARD_RUN_ID, which processes "
                    + "a run starts have; their token may start children of their own run only).")
    String parent;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--wait", description = "Wait for the run to end and print its outcome.")
        boolean await;

        @Option(names = "--follow", description = "Print events and process output live, then the outcome.")
        boolean follow;
    }

    @Override
    public Integer call() {
        Map<String, Object> args = new LinkedHashMap<>(argsJson == null ? Map.of() : Json.readObject(argsJson, "--args-json"));
        args.putAll(arg);
        PrintWriter out = remote.out();
        String parentRun = parent != null && !parent.isBlank() ? parent.strip() : Steward.of(remote.command).environment.get(CallbackOptions.RUN_VARIABLE);
        if (parentRun != null && !parentRun.isBlank()) {
            return child(parentRun.strip(), args, out);
        }
        try (StewardClient client = remote.connect()) {
            if (mode.follow) {
                Map<String, Object> run = client.invoke(script, version, args, timeout, null, extra());
                return follow(client, run, out);
            }
            if (mode.await) {
                // A bounded wait in the request answers short runs in one round trip; a longer run is then
                // followed on its event stream, which survives dropped connections where a long request would not.
                Map<String, Object> run = client.invoke(script, version, args, timeout, WAIT_IN_REQUEST, extra());
                if (!RunStates.isFinal(String.valueOf(run.get("state")))) {
                    run = client.follow(String.valueOf(run.get("id")), lastSeq(run), e -> { });
                }
                for (Map<String, Object> next = RetryFollower.next(client, run); next != null;
                     next = RetryFollower.next(client, run)) {
                    run = client.follow(String.valueOf(next.get("id")), 0, e -> { });
                }
                return outcome(run, out);
            }
            Map<String, Object> run = client.invoke(script, version, args, timeout, null, extra());
            if (remote.json) {
                remote.printJson(run);
            } else {
                out.println(run.get("id"));
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    /**
     * A child run of a running run. A run token may start it and hear how it ended (the answer to its own request)
     * but may not read it otherwise, so --wait waits inside the one request and --follow is refused.
     */
    private int child(String parentRun, Map<String, Object> args, PrintWriter out) {
        if (on != null) {
            throw new IllegalArgumentException("--on starts a fan-out, which a child run of a process cannot be yet: "
                    + "run a script that calls runOn(...) instead");
        }
        if (mode.follow) {
            throw new IllegalArgumentException("--follow reads the child's events, which a run token may not: use --wait");
        }
        if (secretArgs.given()) {
            throw new IllegalArgumentException("--secret-arg and --secret-arg-env are for runs invoked with a user's "
                    + "token, not for child runs of a process: pass the value in the child's args, or invoke it apart");
        }
        try (StewardClient client = remote.connect()) {
            Map<String, Object> run = client.startChild(parentRun, script, version, args, timeout,
                    mode.await ? CHILD_WAIT : null);
            if (mode.await) {
                return outcome(run, out);
            }
            if (remote.json) {
                remote.printJson(run);
            } else {
                out.println(run.get("id"));
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    private int follow(StewardClient client, Map<String, Object> run, PrintWriter out) {
        String id = String.valueOf(run.get("id"));
        Map<String, Object> end;
        if (remote.json) {
            end = client.follow(id, 0, e -> {
                out.println(Json.line(e.toMap()));
                out.flush();
            });
            out.println(Json.line(end));
            out.flush();
            return ExitCodes.of(String.valueOf(end.get("state")));
        }
        Terminal terminal = remote.terminal();
        out.println(terminal.dim("run " + id + " of " + run.get("script") + " (Ctrl-C stops following, not the run)"));
        EventPrinter printer = new EventPrinter(out, terminal);
        end = client.follow(id, 0, e -> printer.print(e.kind(), e.data()));
        for (Map<String, Object> next = RetryFollower.next(client, end); next != null; next = RetryFollower.next(client, end)) {
            printer.finish();
            out.println(Summary.of(end, terminal));
            out.println(terminal.dim("retry: attempt " + TextOf.retry(next) + " is run " + next.get("id")));
            end = client.follow(String.valueOf(next.get("id")), 0, e -> printer.print(e.kind(), e.data()));
        }
        printer.finish();
        out.println(Summary.of(end, terminal));
        out.flush();
        return ExitCodes.of(String.valueOf(end.get("state")));
    }

    private int outcome(Map<String, Object> run, PrintWriter out) {
        if (remote.json) {
            remote.printJson(run);
        } else {
            out.println(Summary.of(run, remote.terminal()));
            out.flush();
        }
        return ExitCodes.of(String.valueOf(run.get("state")));
    }

    private static long lastSeq(Map<String, Object> run) {
        return run.get("lastSeq") instanceof Number n ? n.longValue() : 0;
    }
}
