package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code steward script policy NAME [...]}: shows a script's policy, or changes the parts given and keeps the rest
 * (the API replaces the whole policy, so this reads it first).
 */
@Command(name = "policy", mixinStandardHelpOptions = true, description = {
        "Show or set a script's policy: a limit on its concurrent runs and the retries of its invokes.",
        "Without options it shows the policy; options change what they name and keep the rest; --clear removes it.",
        "Over --max-concurrent an invoke waits QUEUED for a slot (--when-busy queue) or is refused (reject)."})
final class ScriptPolicyCommand implements Callable<Integer> {
    @Mixin
    RemoteOptions remote;

    @Parameters(index = "0", paramLabel = "NAME", description = "The script.")
    String name;

    @Option(names = "--max-concurrent", paramLabel = "N", description = "At most N of its runs at once on the primary.")
    Integer maxConcurrent;

    @Option(names = "--when-busy", paramLabel = "queue|reject",
            description = "Over the limit: wait QUEUED for a slot, first come first served (queue), or refuse (reject).")
    String whenBusy;

    @Option(names = "--retry", paramLabel = "N", description = "Invokes that name no retries get N attempts in all.")
    Integer retry;

    @Option(names = "--backoff", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --retry: the wait before the first retry.")
    Duration backoff;

    @Option(names = "--backoff-factor", paramLabel = "F", description = "With --retry: each later wait is F times longer.")
    Double factor;

    @Option(names = "--max-backoff", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --retry: no wait longer than this.")
    Duration maxBackoff;

    @Option(names = "--no-limit", description = "Remove the concurrency limit (keep the retries).")
    boolean noLimit;

    @Option(names = "--no-retry", description = "Remove the default retries (keep the limit).")
    boolean noRetry;

    @Option(names = "--clear", description = "Remove the whole policy.")
    boolean clear;

    @Override
    public Integer call() {
        boolean changes = maxConcurrent != null || whenBusy != null || retry != null || noLimit || noRetry;
        if (clear && changes) {
            throw new IllegalArgumentException("--clear removes the whole policy: give it alone");
        }
        if (retry == null && (backoff != null || factor != null || maxBackoff != null)) {
            throw new IllegalArgumentException("--backoff, --backoff-factor and --max-backoff go with --retry N");
        }
        try (StewardClient client = remote.connect()) {
            if (clear) {
                Map<String, Object> answer = client.clearScriptPolicy(name);
                if (remote.json) {
                    remote.printJson(answer);
                } else {
                    remote.out().println(Boolean.TRUE.equals(answer.get("cleared")) ? "cleared the policy of " + name
                            : name + " had no policy");
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
            Map<String, Object> policy = client.scriptPolicy(name);
            if (changes) {
                policy = client.putScriptPolicy(name, merged(policy));
            }
            print(policy);
            return ExitCodes.OK;
        }
    }

    private Map<String, Object> merged(Map<String, Object> current) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("maxConcurrent", noLimit ? null : maxConcurrent != null ? maxConcurrent : current.get("maxConcurrent"));
        body.put("whenBusy", whenBusy != null ? whenBusy : current.get("whenBusy"));
        Object retryBody = null;
        if (retry != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("attempts", retry);
            r.put("backoff", backoff == null ? null : backoff.toMillis());
            r.put("factor", factor);
            r.put("maxBackoff", maxBackoff == null ? null : maxBackoff.toMillis());
            r.values().removeIf(java.util.Objects::isNull);
            retryBody = r;
        } else if (!noRetry && current.get("retry") instanceof Map<?, ?> stored) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("attempts", stored.get("attempts"));
            r.put("backoff", stored.get("backoffMs"));
            r.put("factor", stored.get("factor"));
            if (stored.get("maxBackoffMs") != null) {
                r.put("maxBackoff", stored.get("maxBackoffMs"));
            }
            retryBody = r;
        }
        body.put("retry", retryBody);
        return body;
    }

    private void print(Map<String, Object> policy) {
        if (remote.json) {
            remote.printJson(policy);
            return;
        }
        Object max = policy.get("maxConcurrent");
        remote.out().println(name + ":");
        remote.out().println("  max concurrent: " + (max == null ? "no limit" : max + " (when busy: " + policy.get("whenBusy") + ")"));
        remote.out().println("  retry:          " + TextOf.retryPolicy(policy.get("retry")));
        remote.out().println("  now:            " + policy.get("running") + " running, " + policy.get("queued") + " queued");
        remote.out().flush();
    }
}
