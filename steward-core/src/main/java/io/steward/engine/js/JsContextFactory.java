package io.steward.engine.js;

import io.steward.engine.ScriptStoppedError;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;

/**
 * Makes every Rhino {@link Context} Steward uses, on whichever thread: newest language level, compiled to
 * bytecode, with instruction counting woven into the code so that a stopping run ends even a busy
 * {@code while (true) {}}. Counting must already be on when a script compiles, or no counting code is generated.
 */
final class JsContextFactory extends ContextFactory {
    /** The one factory: enter with {@code INSTANCE.enterContext()}, which re-enters a thread's current Context. */
    static final JsContextFactory INSTANCE = new JsContextFactory();

    /** Instructions between two interrupt checks: cheap enough to be invisible, short enough to stop at once. */
    private static final int CHECK_EVERY = 10_000;

    private JsContextFactory() {
        // Generated classes must see Rhino, whatever the context class loader of the calling thread.
        initApplicationClassLoader(Context.class.getClassLoader());
    }

    @Override
    protected Context makeContext() {
        Context cx = super.makeContext();
        cx.setLanguageVersion(Context.VERSION_ECMASCRIPT);
        cx.setInterpretedMode(false);
        cx.setInstructionObserverThreshold(CHECK_EVERY);
        // No Java class is visible to scripts, not even through a caught exception: the host object is the API.
        cx.setClassShutter(className -> false);
        return cx;
    }

    @Override
    protected boolean hasFeature(Context cx, int featureIndex) {
        // A run's script threads share its global scope and the objects they hand each other.
        if (featureIndex == Context.FEATURE_THREAD_SAFE_OBJECTS) {
            return true;
        }
        return super.hasFeature(cx, featureIndex);
    }

    @Override
    protected void observeInstructionCount(Context cx, int instructionCount) {
        if (Thread.currentThread().isInterrupted()) {
            throw new ScriptStoppedError();
        }
    }
}
