package io.steward.nodes;

import java.util.Map;
import java.util.Set;

/**
 * The frame types an agent may send, each with its handler: the agent link dispatches from this map and from
 * nothing else (Salt's CVE-2020-11651 exposed every method of a class to its minions; here a type that is not a
 * key is refused). docs/agent-protocol.md lists the same types, and a test holds the two together.
 *
 * <p>Every type but {@code hello} needs a joined session: before {@code hello} the link refuses them all.
 */
final class AgentFrames {
    /** Handles one frame of a joined (or, for {@code hello}, joining) agent, with the link's parts. */
    @FunctionalInterface
    interface Handler {
        void handle(AgentLink link, AgentSession session, Map<String, Object> frame);
    }

    static final String HELLO = "hello";

    private final Map<String, Handler> handlers;

    AgentFrames(Map<String, Handler> handlers) {
        if (!handlers.containsKey(HELLO)) {
            throw new IllegalArgumentException("the allowlist needs a handler for '" + HELLO + "'");
        }
        handlers.forEach((type, handler) -> {
            if (handler == null) {
                throw new IllegalArgumentException("no handler for the allowlisted frame type '" + type + "'");
            }
        });
        this.handlers = Map.copyOf(handlers);
    }

    /** The allowlisted types. */
    Set<String> types() {
        return handlers.keySet();
    }

    /**
     * Runs the handler of the frame's type.
     *
     * @throws LinkRefusedException for a type not on the allowlist, or any type but hello before hello
     */
    void dispatch(AgentLink link, AgentSession session, String type, Map<String, Object> frame) {
        Handler handler = handlers.get(type);
        if (handler == null) {
            throw new LinkRefusedException("bad_message", "unknown frame type '" + type + "'");
        }
        if (!type.equals(HELLO) && session.name() == null) {
            throw new LinkRefusedException("bad_message", "say hello first: the first frame must be 'hello'");
        }
        handler.handle(link, session, frame);
    }
}
