package io.steward.coordinator;

import io.steward.engine.CompiledScript;
import io.steward.engine.Engine;
import io.steward.engine.HostObject;
import io.steward.engine.JsonValues;
import io.steward.engine.RefusedException;
import io.steward.engine.ScriptError;
import io.steward.engine.ScriptException;
import io.steward.engine.ScriptNotFoundException;
import io.steward.engine.ScriptSource;
import io.steward.engine.ScriptText;
import io.steward.engine.ScriptThreads;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launcher (claims 26–30): the entry script loaded when the coordinator starts, through which every invoke
 * request passes. It sees the request as {@code request} ({@code script, version, args, timeoutMs, invoker}),
 * may change it, and returns it (or nothing, to keep it); {@code refuse(reason)} declines it.
 *
 * <p>It is the stored script {@value #NAME} when there is one, else {@link #BUILT_IN}. A launcher that fails to
 * load is kept as a failure: every invoke is then refused with its load error until a fixed one is loaded.
 */
final class Launcher {
    static final String NAME = "_launcher.groovy";
    static final String BUILT_IN = """
            // The built-in launcher: every invoke request passes through unchanged.
            // Push a script named _launcher.groovy to check, rewrite or refuse requests.
            return request
            """;

    private final ScriptText text;
    private final CompiledScript compiled;
    private final ScriptError loadError;

    private Launcher(ScriptText text, CompiledScript compiled, ScriptError loadError) {
        this.text = text;
        this.compiled = compiled;
        this.loadError = loadError;
    }

    static Launcher load(Engine engine, ScriptSource scripts) {
        ScriptText text;
        try {
            text = scripts.load(NAME);
        } catch (ScriptNotFoundException absent) {
            text = new ScriptText(NAME, BUILT_IN);
        } catch (RuntimeException unreadable) {
            return new Launcher(null, null, new ScriptError(NAME, 0, 0, "cannot read: " + unreadable.getMessage()));
        }
        return load(engine, text);
    }

    static Launcher load(Engine engine, ScriptText text) {
        try {
            return new Launcher(text, engine.compile(text), null);
        } catch (ScriptException e) {
            return new Launcher(text, null, e.error());
        } catch (RuntimeException e) {
            return new Launcher(text, null, new ScriptError(text.name(), 0, 0, String.valueOf(e.getMessage())));
        }
    }

    boolean loaded() {
        return compiled != null;
    }

    ScriptError loadError() {
        return loadError;
    }

    ScriptText text() {
        return text;
    }

    /**
     * Passes a request through the launcher.
     *
     * @throws LauncherUnavailableException when the launcher did not load
     * @throws InvokeRefusedException       when it refused the request
     * @throws LauncherFailedException      when it threw
     */
    InvokeRequest apply(InvokeRequest request, Engine engine, ScriptSource scripts, NodeInfo node)
            throws InterruptedException {
        if (compiled == null) {
            throw new LauncherUnavailableException("the launcher " + NAME + " failed to load, so no run can start: "
                    + loadError + ". Push a fixed " + NAME + " (or delete it to use the built-in one).");
        }
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("script", request.script());
        form.put("version", (long) request.version());
        form.put("args", new LinkedHashMap<>(request.args()));
        form.put("timeoutMs", request.timeout() == null ? null : request.timeout().toMillis());
        form.put("invoker", request.invoker());
        LauncherContext context = new LauncherContext(form, scripts, node);
        HostObject host = new HostObject(context, new ScriptThreads("launcher", context), engine);
        Object answer;
        try {
            answer = compiled.run(host);
        } catch (ScriptException e) {
            if (e.getCause() instanceof RefusedException refused) {
                throw new InvokeRefusedException("the launcher refused the request: " + refused.getMessage());
            }
            throw new LauncherFailedException(e.error(), e);
        } catch (RefusedException refused) {
            throw new InvokeRefusedException("the launcher refused the request: " + refused.getMessage());
        }
        Map<String, Object> out = answer == null ? form : JsonValues.copyMap("the launcher's answer", answer);
        return toRequest(out, request);
    }

    private static InvokeRequest toRequest(Map<String, Object> form, InvokeRequest original) {
        Object script = form.get("script");
        if (!(script instanceof String name) || name.isBlank()) {
            throw new LauncherFailedException(new ScriptError(NAME, 0, 0,
                    "the launcher returned a request without a script name"), null);
        }
        int version = form.get("version") instanceof Number n ? n.intValue() : original.version();
        Map<String, Object> args = JsonValues.copyMap("args", form.get("args"));
        Duration timeout = form.get("timeoutMs") instanceof Number ms && ms.longValue() > 0
                ? Duration.ofMillis(ms.longValue()) : null;
        return new InvokeRequest(name, version, args, timeout, original.invoker());
    }
}
