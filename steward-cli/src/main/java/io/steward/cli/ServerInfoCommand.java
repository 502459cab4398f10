package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steward server-info}: what the primary says about itself (claim 22). */
@Command(name = "server-info", mixinStandardHelpOptions = true,
        description = "Show the server: host, OS, CPUs, memory, load, JVM, version, uptime, runs, launcher.")
final class ServerInfoCommand implements Callable<Integer> {
    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        try (StewardClient client = remote.connect()) {
            Map<String, Object> s = client.server();
            if (remote.json) {
                remote.printJson(s);
                return ExitCodes.OK;
            }
            Terminal terminal = remote.terminal();
            PrintWriter out = remote.out();
            out.println(terminal.bold(Format.value(s.get("name"))) + "  Steward " + Format.value(s.get("version")) + "  at " + client.url());
            out.println("host      " + Format.value(s.get("host")) + "  (" + Format.value(s.get("os")) + ", " + Format.value(s.get("arch")) + ")");
            out.println("cpus      " + Format.value(s.get("cpus")) + "   load " + Format.value(s.get("load"))
                    + "   memory " + Format.bytes(s.get("memoryBytes")));
            out.println("jvm       " + Format.value(s.get("jvm")));
            out.println("up since  " + Format.time(s.get("startedAt")) + "  (" + Format.duration(s.get("uptimeMs")) + ")");
            Map<String, Object> labels = RunView.map(s.get("labels"));
            if (!labels.isEmpty()) {
                out.println("labels    " + Format.value(labels));
            }
            Map<String, Object> runs = RunView.map(s.get("runs"));
            out.println("runs      " + Format.value(runs.get("active")) + " active   " + Format.value(runs.get("byState")));
            Map<String, Object> launcher = RunView.map(s.get("launcher"));
            out.println("launcher  " + (Boolean.FALSE.equals(launcher.get("loaded"))
                    ? terminal.red("not loaded: " + Format.error(launcher.get("error"))) : "loaded"));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
