package io.steward.engine.js;

import io.steward.engine.HostObject;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The global scope of one run, shared by its script threads and by the JavaScript scripts it includes.
 *
 * <p>Its prototype is one sealed scope of standard objects that every run shares, so a run cannot change what
 * another sees and a run costs no more than this object. Names the script defines live here; a name neither
 * the script nor the standard objects define is asked of the host object (claims 32–33) when the script first
 * uses it, and the answer is kept for the rest of the run.
 */
final class JsRunScope extends ScriptableObject {
    private final transient JsHostMembers members;
    private final Map<String, Object> resolved = new ConcurrentHashMap<>();

    private JsRunScope(HostObject host) {
        setPrototype(StandardObjects.SCOPE);
        setParentScope(null);
        members = new JsHostMembers(host, this);
        // The standard globalThis is the sealed shared scope; scripts must see their own run's scope instead.
        defineProperty("globalThis", this, DONTENUM);
    }

    /**
     * The run's scope, made by whichever JavaScript script of the run runs first. Call it inside a Context from
     * {@link JsContextFactory}: the scope's property table is made thread-safe only then.
     */
    static JsRunScope of(HostObject host) {
        return host.attachment(JsRunScope.class, () -> new JsRunScope(host));
    }

    @Override
    public String getClassName() {
        return "global";
    }

    @Override
    public Object get(String name, Scriptable start) {
        Object own = super.get(name, start);
        if (own != NOT_FOUND || !fromHost(name)) {
            return own;
        }
        Object value = resolved.get(name);
        if (value == null) {
            value = members.create(Context.getCurrentContext(), name);
            if (value == null) {
                return null; // a global such as the launcher's request may be null: nothing to keep
            }
            Object raced = resolved.putIfAbsent(name, value);
            if (raced != null) {
                value = raced;
            }
        }
        return value;
    }

    @Override
    public boolean has(String name, Scriptable start) {
        return super.has(name, start) || fromHost(name);
    }

    /** Whether the host answers for a name: one it knows that the standard objects do not define. */
    private boolean fromHost(String name) {
        return members.knows(name) && !ScriptableObject.hasProperty(getPrototype(), name);
    }

    /** The standard objects, without any access to Java, made once and sealed so that runs can share them. */
    private static final class StandardObjects {
        static final ScriptableObject SCOPE = create();

        private static ScriptableObject create() {
            Context cx = JsContextFactory.INSTANCE.enterContext();
            try {
                return cx.initSafeStandardObjects(null, true);
            } finally {
                Context.exit();
            }
        }
    }
}
