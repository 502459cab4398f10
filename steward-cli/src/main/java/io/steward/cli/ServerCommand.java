package io.steward.cli;

import io.steward.server.StewardServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code steward server}: runs a primary until interrupted. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run a Steward primary: the script store, the HTTP API and the engine.")
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions options;

    @Mixin
    TlsServerOptions tls;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        io.steward.server.ServerConfig config = options.config(Steward.of(spec).environment);
        config = config.withGateway(config.gateway().withTls(tls.tls()));
        try (UntilStopped running = new UntilStopped(); StewardServer server = Servers.start(config)) {
            Terminal t = Terminal.of(out);
            out.println(t.bold("Steward primary " + io.steward.coordinator.NodeInfo.VERSION) + " listening on "
                    + server.url());
            if (config.gateway().tls() != null) {
                out.println("TLS key fingerprint " + io.steward.tls.Fingerprint.of(config.gateway().tls().certificate())
                        + " (agents without --ca-cert trust it with --primary-fingerprint)");
            }
            out.println("admin token in " + server.adminTokenFile() + " (the CLI on this machine uses it)");
            if (server.lostAtStart() > 0) {
                out.println(server.lostAtStart() + " runs left over from the last start were marked LOST");
            }
            out.flush();
            running.await();
        }
        return ExitCodes.OK;
    }
}
