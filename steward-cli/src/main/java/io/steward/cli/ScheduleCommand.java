package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code steward schedule …}: cron schedules that invoke a stored script at each slot, as {@code steward run} would
 * (with {@code --on}, a fan-out). Reading needs a viewer token; changing, an operator.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = {"Cron schedules: run a script at every slot of a cron expression.",
                "Expressions: 5 Unix fields (minute hour day-of-month month day-of-week), or 6-7 Quartz fields with "
                        + "seconds first and '?' in day-of-month or day-of-week. A slot the primary was down for, or "
                        + "found later than the grace (60s), is missed, not run; `ls` and `show` count them."},
        subcommands = {ScheduleCommand.Add.class, ScheduleCommand.Ls.class, ScheduleCommand.Show.class,
                ScheduleCommand.Pause.class, ScheduleCommand.Resume.class, ScheduleCommand.Rm.class})
final class ScheduleCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to do: add, ls, show, pause, resume or rm");
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
            "Add a schedule; its first slot is the first after now.",
            "e.g. steward schedule add nightly --cron '0 2 * * *' --script backup.groovy --tz Europe/Berlin"})
    static final class Add implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME", description = "1 to 64 letters, digits, '.', '_' or '-'.")
        String name;

        @Option(names = "--cron", required = true, paramLabel = "EXPR",
                description = "'0 2 * * *' (Unix: minute hour day month weekday) or '*/10 * * * * ?' (Quartz, seconds first).")
        String cron;

        @Option(names = "--script", required = true, paramLabel = "SCRIPT", description = "The stored script to invoke.")
        String script;

        @Option(names = "--on", paramLabel = "SELECTOR",
                description = "Fan out at each slot: a node name, a glob (web-*), labels (role=web), all, or a comma list.")
        String on;

        @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "An argument, as a string (repeatable).")
        Map<String, String> arg = new LinkedHashMap<>();

        @Option(names = "--args-json", paramLabel = "JSON", description = "Arguments as a JSON object; --arg adds to them.")
        String argsJson;

        @Option(names = "--tz", paramLabel = "ZONE", description = "The zone of the slots, e.g. Europe/Berlin (default: UTC).")
        String zone;

        @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How late a slot may still run, 1s to 24h (default: 60s); later, it is missed.")
        Duration grace;

        @Mixin
        SecretArgOptions secretArgs;

        @Override
        public Integer call() {
            Map<String, Object> args = new LinkedHashMap<>(argsJson == null ? Map.of() : Json.readObject(argsJson, "--args-json"));
            args.putAll(arg);
            try (StewardClient client = remote.connect()) {
                Map<String, Object> schedule = client.addSchedule(name, cron, script, on, args, zone, grace,
                        secretArgs.read(Steward.of(remote.command).environment::get));
                if (remote.json) {
                    remote.printJson(schedule);
                } else {
                    remote.out().println("added schedule " + schedule.get("name") + ": " + schedule.get("script")
                            + " at '" + schedule.get("cron") + "' (" + schedule.get("timeZone") + "), next "
                            + Format.time(schedule.get("nextSlot")));
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
            description = "List schedules: next slot, runs started, slots missed.")
    static final class Ls implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                List<Map<String, Object>> schedules = client.schedules();
                if (remote.json) {
                    remote.printJson(Map.of("schedules", schedules));
                    return ExitCodes.OK;
                }
                if (schedules.isEmpty()) {
                    remote.out().println(remote.terminal().dim("no schedules; add one with steward schedule add"));
                    remote.out().flush();
                    return ExitCodes.OK;
                }
                Table table = new Table("NAME", "CRON", "ZONE", "SCRIPT", "ON", "NEXT", "FIRED", "MISSED", "LAST MISSED");
                for (Map<String, Object> s : schedules) {
                    table.row(s.get("name"), s.get("cron"), s.get("timeZone"), s.get("script"),
                            s.get("on") == null ? "-" : s.get("on"), next(s), s.get("fired"), s.get("missed"),
                            s.get("lastMissed") == null ? "-" : Format.time(s.get("lastMissed")));
                }
                table.print(remote.out(), remote.terminal());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one schedule in full.")
    static final class Show implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
        String name;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> s = client.schedule(name);
                if (remote.json) {
                    remote.printJson(s);
                    return ExitCodes.OK;
                }
                PrintWriter out = remote.out();
                out.println("name:        " + s.get("name"));
                out.println("cron:        " + s.get("cron") + "  (" + s.get("timeZone") + ")");
                out.println("script:      " + s.get("script") + (s.get("on") == null ? "" : "  on " + s.get("on")));
                out.println("args:        " + Format.value(s.get("args")));
                if (s.get("secretArgs") instanceof java.util.List<?> secret && !secret.isEmpty()) {
                    out.println("secret args: " + String.join(", ", secret.stream().map(String::valueOf).toList()) + " (values hidden)");
                }
                out.println("grace:       " + Format.duration(s.get("graceMs")));
                out.println("next:        " + next(s));
                out.println("fired:       " + s.get("fired") + (s.get("lastRun") == null ? ""
                        : "  (last: run " + s.get("lastRun") + " for " + Format.time(s.get("lastSlot")) + ", "
                        + s.get("lastOutcome") + ")"));
                out.println("missed:      " + s.get("missed") + (s.get("lastMissed") == null ? ""
                        : "  (last: " + Format.time(s.get("lastMissed")) + ")"));
                if (s.get("lastError") != null) {
                    out.println("last error:  " + s.get("lastError"));
                }
                out.println("created:     " + Format.time(s.get("createdAt")) + " by " + s.get("createdBy"));
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause a schedule: no runs and no missed slots until resumed.")
    static final class Pause implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
        String name;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                return done(remote, client.pauseSchedule(name), "paused schedule " + name);
            }
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a paused schedule from its first slot after now.")
    static final class Resume implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
        String name;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> s = client.resumeSchedule(name);
                return done(remote, s, "resumed schedule " + name + ", next " + next(s));
            }
        }
    }

    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
            description = "Remove a schedule; the runs it started stay.")
    static final class Rm implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
        String name;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                return done(remote, client.removeSchedule(name), "removed schedule " + name);
            }
        }
    }

    private static int done(RemoteOptions remote, Map<String, Object> answer, String text) {
        if (remote.json) {
            remote.printJson(answer);
        } else {
            remote.out().println(text);
            remote.out().flush();
        }
        return ExitCodes.OK;
    }

    private static String next(Map<String, Object> s) {
        if (Boolean.TRUE.equals(s.get("paused"))) {
            return "paused";
        }
        return s.get("nextSlot") == null ? "never" : Format.time(s.get("nextSlot"));
    }
}
