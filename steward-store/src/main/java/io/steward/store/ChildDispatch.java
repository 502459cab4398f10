package io.steward.store;

import java.util.Map;

/**
 * A child of a fan-out for an agent linked to another primary, as its row in {@code child_dispatch} says: what the
 * owner needs to start it there as its own (see {@link ChildDispatchStore}).
 *
 * @param id        the child run's id, chosen by the parent's primary
 * @param parent    the parent run's id
 * @param node      the agent it runs on
 * @param owner     the primary holding the agent's link when the child was sent, asked to start it
 * @param sender    the primary running the parent
 * @param script    the script's name
 * @param version   the script's version
 * @param args      its args, without the secret ones (those are sealed under the child's id)
 * @param timeoutMs its timeout, or {@code null}
 */
public record ChildDispatch(String id, String parent, String node, String owner, String sender, String script,
                            int version, Map<String, Object> args, Long timeoutMs) {
    public ChildDispatch {
        args = args == null ? Map.of() : args;
    }
}
