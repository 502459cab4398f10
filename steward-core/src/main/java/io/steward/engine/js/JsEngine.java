package io.steward.engine.js;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one GraalJS engine of the process, made when the first JavaScript script compiles: every context of every
 * run is made from it, so a script's source is parsed once and its code shared by all of them.
 *
 * <p>Contexts see no Java: no host classes, no reflection on host objects (the host object's members reach
 * scripts as proxies only), no file system, no threads of their own, and no output stream (see the prelude's
 * {@code console}).
 */
final class JsEngine {
    /** The prelude's source name; frames from sources named {@code <…>} are never blamed for an error. */
    static final String PRELUDE_NAME = "<steward>";

    private static final class Holder {
        static final JsEngine INSTANCE = new JsEngine();
    }

    private final Engine engine;
    private final AtomicLong contextsMade = new AtomicLong();
    private final Source prelude;
    /** The global names of a context before anything is bound: what a thread's copy of the globals leaves out. */
    private final Set<String> standardGlobals;

    private JsEngine() {
        engine = Engine.newBuilder("js")
                // Without the Graal compiler (a stock JDK), Truffle interprets; that is expected, say nothing.
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .build();
        prelude = Source.newBuilder("js", resource("prelude.js"), PRELUDE_NAME).cached(true).buildLiteral();
        try (Context context = newContext()) {
            standardGlobals = Set.copyOf(context.getBindings("js").getMemberKeys());
        }
    }

    static JsEngine get() {
        return Holder.INSTANCE;
    }

    /** How many contexts this engine has made: for tests of their reuse. */
    long contextsMade() {
        return contextsMade.get();
    }

    Context newContext() {
        contextsMade.incrementAndGet();
        return Context.newBuilder("js")
                .engine(engine)
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(className -> false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                // Only the standard library: no Graal object, no print/load builtins (the prelude removes the
                // Java and Polyglot objects, whose options are experimental).
                .option("js.graal-builtin", "false")
                .option("js.print", "false")
                .option("js.load", "false")
                .build();
    }

    Source prelude() {
        return prelude;
    }

    Set<String> standardGlobals() {
        return standardGlobals;
    }

    private static String resource(String name) {
        try (InputStream in = JsEngine.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
