package io.steward.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Kills a process and everything it started.
 *
 * <p>The descendants are listed before the root dies: once it is gone its children are re-parented
 * and can no longer be found through it. The root is killed first so that it cannot fork more while
 * its children die, and the tree is walked once more afterwards for anything forked in between.
 * This does not wait for the processes to be reaped.
 */
public final class ProcessTree {
    private ProcessTree() {
    }

    public static void kill(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        root.destroyForcibly();
        for (int i = 0; i < tree.size(); i++) {
            ProcessHandle child = tree.get(i);
            child.descendants().filter(d -> !tree.contains(d)).forEach(tree::add);
            child.destroyForcibly();
        }
        for (ProcessHandle child : List.copyOf(tree)) {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }
}
