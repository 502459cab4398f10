package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steward notify …}: notifications when runs end — a webhook to POST to, or a script to run. */
@Command(name = "notify", mixinStandardHelpOptions = true, description = "Notify a webhook or run a script when runs end.",
        subcommands = {NotifyCommand.Add.class, NotifyCommand.ListAll.class, NotifyCommand.Show.class,
                NotifyCommand.Remove.class})
final class NotifyCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to do: add, ls, show or rm");
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
            "Add a notification: when a run ends in one of the states, POST its JSON to the webhook, or run the script",
            "with it as args (runId, script, state, result, error, times, link). Failed deliveries are tried again,",
            "5 times in all; `steward notify show NAME` lists them."})
    static final class Add implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME", description = "A name for the notification, e.g. ops-failures.")
        String name;

        @Option(names = "--on-state", required = true, paramLabel = "STATES", split = ",",
                description = "Final states, comma-separated: FAILED, TIMED_OUT, LOST, CANCELLED, SUCCEEDED.")
        List<String> states;

        @Option(names = "--script", paramLabel = "SCRIPT", description = "Only runs of this script (default: every script).")
        String script;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--webhook", paramLabel = "URL", description = "POST the payload here (http:// or https://).")
            String webhook;

            @Option(names = "--run", paramLabel = "SCRIPT", description = "Run this stored script with the payload as args.")
            String run;
        }

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> added = client.addNotification(name, states, script, target.webhook, target.run);
                if (remote.json) {
                    remote.printJson(added);
                } else {
                    remote.out().println("added notification " + name + ": " + describe(added));
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the notifications.")
    static final class ListAll implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                List<Map<String, Object>> all = client.notifications();
                if (remote.json) {
                    remote.printJson(Map.of("notifications", all));
                    return ExitCodes.OK;
                }
                if (all.isEmpty()) {
                    remote.out().println("no notifications: add one with `steward notify add NAME --on-state FAILED --webhook URL`");
                    remote.out().flush();
                    return ExitCodes.OK;
                }
                Table table = new Table("NAME", "STATES", "SCRIPT", "TARGET");
                all.forEach(n -> table.row(n.get("name"), String.join(",", strings(n.get("states"))),
                        n.get("script") == null ? "(any)" : n.get("script"), target(n)));
                table.print(remote.out(), remote.terminal());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a notification and its latest deliveries.")
    static final class Show implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME", description = "The notification.")
        String name;

        @Option(names = "--limit", paramLabel = "N", description = "How many of the latest delivery attempts (default: 20).")
        Integer limit;

        @Override
        @SuppressWarnings("unchecked")
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> shown = client.notification(name, limit);
                if (remote.json) {
                    remote.printJson(shown);
                    return ExitCodes.OK;
                }
                Map<String, Object> n = (Map<String, Object>) shown.get("notification");
                remote.out().println(name + ": " + describe(n));
                List<Map<String, Object>> deliveries = (List<Map<String, Object>>) shown.get("deliveries");
                if (deliveries.isEmpty()) {
                    remote.out().println("no deliveries yet");
                    remote.out().flush();
                    return ExitCodes.OK;
                }
                Table table = new Table("TIME", "RUN", "ATTEMPT", "OUTCOME", "DETAIL");
                deliveries.forEach(d -> table.row(Format.time(d.get("attemptedAt")), d.get("runId"), d.get("attempt"),
                        d.get("outcome"), d.get("detail")));
                table.print(remote.out(), remote.terminal());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a notification and its delivery record.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME", description = "The notification.")
        String name;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> answer = client.removeNotification(name);
                if (remote.json) {
                    remote.printJson(answer);
                } else {
                    remote.out().println("removed notification " + name);
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }

    static String describe(Map<String, Object> n) {
        return "on " + String.join(",", strings(n.get("states"))) + " of "
                + (n.get("script") == null ? "any script" : n.get("script")) + " → " + target(n);
    }

    private static String target(Map<String, Object> n) {
        return n.get("webhook") != null ? "POST " + n.get("webhook") : "run " + n.get("runScript");
    }

    private static List<String> strings(Object list) {
        return list instanceof List<?> l ? l.stream().map(String::valueOf).toList() : Arrays.asList(String.valueOf(list));
    }
}
