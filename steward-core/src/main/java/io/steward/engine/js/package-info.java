/**
 * JavaScript, the second script language, on GraalJS (ECMAScript 2024).
 *
 * <p>{@link io.steward.engine.js.JavaScriptLanguage} parses; {@link io.steward.engine.js.JsRun} gives each script
 * thread of a run a context of its own ({@link io.steward.engine.js.JsContext}) from the one shared
 * {@link io.steward.engine.js.JsEngine}, with the host object's members bound by
 * {@link io.steward.engine.js.JsHostMembers}. Functions handed to another thread travel as
 * {@link io.steward.engine.js.JsFunction}s (source and the globals beside them); values crossing the host object
 * are converted by {@link io.steward.engine.js.JsValues} and failures by {@link io.steward.engine.js.JsErrors}.
 */
package io.steward.engine.js;
