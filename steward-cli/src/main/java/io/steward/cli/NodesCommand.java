package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steward nodes}: the machines the server knows: itself and its agents. */
@Command(name = "nodes", mixinStandardHelpOptions = true, description = "List the nodes: the server itself and its agents.")
final class NodesCommand implements Callable<Integer> {
    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        try (StewardClient client = remote.connect()) {
            List<Map<String, Object>> nodes = client.nodes();
            if (remote.json) {
                remote.printJson(nodes); // a plain list of {name, state, labels, lastSeen, info, running}
                return ExitCodes.OK;
            }
            Table table = new Table("NAME", "STATE", "RUNNING", "HOST", "OS", "CPUS", "LOAD", "LAST SEEN", "LABELS");
            for (Map<String, Object> node : nodes) {
                Map<String, Object> info = RunView.map(node.get("info"));
                table.row(node.get("name"), node.get("state"), node.get("running"), info.get("host"), info.get("os") + "/" + info.get("arch"),
                        info.get("cpus"), info.get("load"), Format.time(node.get("lastSeen")), node.get("labels"));
            }
            table.print(remote.out(), remote.terminal());
            return ExitCodes.OK;
        }
    }
}
