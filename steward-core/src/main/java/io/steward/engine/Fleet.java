package io.steward.engine;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The other nodes, as a script reaches them: {@code nodes(selector)}, {@code runOn(selector, script, args)} and
 * {@code connect(url, token)}. The primary provides the real one; a node without agents has {@link #NONE}.
 */
public interface Fleet {

    /** Node infos of the nodes a selector matches: a name, a glob ({@code web-*}), labels ({@code role=web}), {@code all}, or a comma list. */
    List<Map<String, Object>> nodes(String selector);

    /**
     * Starts one child run of {@code script} per selected node, with {@code parent} as their parent, and waits
     * until every child has ended. {@code options}: {@code parallel} (how many nodes at once), {@code failFast}
     * (cancel the rest on the first failure), {@code allowEmpty}, {@code version}, {@code timeout} (ms).
     * Each change of a child ({@code id, node, state, result, error}) is passed to {@code children}.
     *
     * @return the final record of every child, in node order
     * @throws IllegalArgumentException for a bad selector, an unknown label, or an empty match without allowEmpty
     */
    List<Map<String, Object>> runOn(String parent, String selector, String script, Map<String, Object> args,
                                    Map<String, Object> options, Consumer<Map<String, Object>> children)
            throws InterruptedException;

    /** A client of a primary through which a script can invoke, poll and publish (claim 16). */
    RemotePrimary connect(String url, String token);

    Fleet NONE = new Fleet() {
        @Override
        public List<Map<String, Object>> nodes(String selector) {
            throw new UnsupportedOperationException("nodes() needs a primary: this node runs no fleet");
        }

        @Override
        public List<Map<String, Object>> runOn(String parent, String selector, String script, Map<String, Object> args,
                                               Map<String, Object> options, Consumer<Map<String, Object>> children) {
            throw new UnsupportedOperationException("runOn() needs a primary: this node runs no fleet");
        }

        @Override
        public RemotePrimary connect(String url, String token) {
            throw new UnsupportedOperationException("connect() is not available on this node");
        }
    };
}
