package io.steward.coordinator;

import io.steward.engine.DataMap;
import io.steward.engine.RunContext;
import io.steward.engine.ScriptLog;
import io.steward.engine.ScriptSource;
import io.steward.engine.ScriptText;
import io.steward.engine.ScriptThread;
import io.steward.engine.ScriptThreads;
import io.steward.engine.StatusBoard;
import io.steward.process.LocalProcess;
import io.steward.process.ProcessSpec;

import java.util.List;
import java.util.Map;

/**
 * What the launcher's host object sees. The launcher runs before the run exists, so it has the request but no
 * run data of its own and may not start processes: it decides, the coordinator carries out.
 */
final class LauncherContext implements RunContext, ScriptThreads.Listener {
    private static final System.Logger LOG = System.getLogger(Launcher.class.getName());

    private final Map<String, Object> request;
    private final ScriptSource scripts;
    private final NodeInfo node;

    LauncherContext(Map<String, Object> request, ScriptSource scripts, NodeInfo node) {
        this.request = request;
        this.scripts = scripts;
        this.node = node;
    }

    @Override
    public String runId() {
        return "launcher";
    }

    @Override
    public String scriptName() {
        return Launcher.NAME;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> args() {
        return (Map<String, Object>) request.get("args");
    }

    @Override
    public Map<String, Object> node() {
        return node.toMap();
    }

    @Override
    public DataMap shared() {
        return NoData.INSTANCE;
    }

    @Override
    public DataMap priv() {
        return NoData.INSTANCE;
    }

    @Override
    public StatusBoard status() {
        throw new UnsupportedOperationException("the launcher has no status: it runs before the run exists");
    }

    @Override
    public ScriptLog log() {
        return new ScriptLog() {
            @Override
            public void info(Object message) {
                LOG.log(System.Logger.Level.INFO, "launcher: {0}", message);
            }

            @Override
            public void warn(Object message) {
                LOG.log(System.Logger.Level.WARNING, "launcher: {0}", message);
            }

            @Override
            public void error(Object message) {
                LOG.log(System.Logger.Level.ERROR, "launcher: {0}", message);
            }
        };
    }

    @Override
    public LocalProcess launch(ProcessSpec spec) {
        throw new UnsupportedOperationException("the launcher may not start processes: the run it launches may");
    }

    @Override
    public ScriptText loadScript(String name) {
        return scripts.load(name);
    }

    @Override
    public Map<String, Object> globals() {
        return Map.of("request", request);
    }

    @Override
    public void started(ScriptThread thread) {
    }

    @Override
    public void ended(ScriptThread thread, Object value, Throwable failure) {
    }

    @Override
    public void allEnded() {
    }

    /** Shared and private data of the launcher: there is none. */
    private enum NoData implements DataMap {
        INSTANCE;

        @Override
        public void put(String key, Object value) {
            throw new UnsupportedOperationException("the launcher has no run data: it runs before the run exists");
        }

        @Override
        public Object get(String key) {
            return null;
        }

        @Override
        public Object remove(String key) {
            return null;
        }

        @Override
        public List<String> keys() {
            return List.of();
        }

        @Override
        public Map<String, Object> asMap() {
            return Map.of();
        }
    }
}
