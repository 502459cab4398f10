/**
 * JavaScript, the second script language, on Mozilla Rhino.
 *
 * <p>{@link io.steward.engine.js.JavaScriptLanguage} compiles; each run gets a
 * {@link io.steward.engine.js.JsRunScope} whose unresolved names are answered by the host object through
 * {@link io.steward.engine.js.JsHostMembers}. Values crossing the host object are converted by
 * {@link io.steward.engine.js.JsValues} and failures by {@link io.steward.engine.js.JsErrors}. Every thread that
 * runs JavaScript enters its own Rhino Context from {@link io.steward.engine.js.JsContextFactory}.
 */
package io.steward.engine.js;
