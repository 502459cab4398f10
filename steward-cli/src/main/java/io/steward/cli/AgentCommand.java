package io.steward.cli;

import io.steward.agent.Agent;
import io.steward.agent.AgentConfig;
import io.steward.agent.AgentRefusedException;
import io.steward.agent.AgentTls;
import io.steward.agent.PrimaryNotTrustedException;
import io.steward.tls.Fingerprint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steward agent}: runs scripts on this machine for a primary, over one WebSocket, until interrupted. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run an agent: join a primary and run the scripts it sends to this node.")
final class AgentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--primary", paramLabel = "URL", required = true, split = ",",
            description = "The primary, e.g. http://primary:7640. Several primaries sharing one database: repeat the option or "
                    + "separate the URLs with commas; the agent links to the first that answers and fails over to the next.")
    java.util.List<String> primary;

    @Option(names = "--join-token", paramLabel = "TOKEN", defaultValue = "${env:STEWARD_JOIN_TOKEN}",
            description = "A token of role agent (steward token create --role agent --name N); needed only until the agent has its own credential.")
    String joinToken;

    @Option(names = "--name", paramLabel = "NODE", description = "This node's name (default: the host name).")
    String name;

    @Option(names = "--labels", paramLabel = "K=V", split = ",", description = "Labels for selectors, e.g. role=web,env=prod.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--data", paramLabel = "DIR", description = "Where the credential and the event buffer live (default ~/.steward-agent).")
    Path data;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "For an https primary: the CA certificate (PEM) its certificate must chain to, e.g. the ca.pem of steward tls init.")
    Path caCert;

    @Option(names = "--primary-fingerprint", paramLabel = "sha256:HEX",
            description = "For an https primary: the fingerprint of its key (it prints it when it starts). Trusts it without --ca-cert, "
                    + "and replaces the pin in <data>/primary.pin (the way to accept a primary's new key).")
    String primaryFingerprint;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "This agent's client certificate (PEM), for a primary that requires mutual TLS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The private key (PEM) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AgentConfig config = AgentConfig.of(primary, joinToken).withName(name).withLabels(labels).withDataDir(data)
                .withTls(new AgentTls(caCert, primaryFingerprint == null ? null : Fingerprint.parse(primaryFingerprint),
                        tlsCert, tlsKey));
        try (Agent agent = Agent.start(config)) {
            out.println("agent " + agent.name() + " joining " + String.join(", ", primary) + " (Ctrl-C to stop)");
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "steward-agent-shutdown"));
            agent.await();
            return ExitCodes.OK;
        } catch (PrimaryNotTrustedException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (AgentRefusedException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // it says "the primary refused this agent (code)"
        }
    }
}
