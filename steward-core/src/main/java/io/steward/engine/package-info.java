/**
 * The engine component (claim 25, first component): hosts script engines and the script threads of a run.
 *
 * <p>Languages plug in through the {@link io.steward.engine.ScriptLanguage} SPI, found by
 * {@link java.util.ServiceLoader}. {@link io.steward.engine.Engine} compiles {@link io.steward.engine.ScriptText}
 * (caching by content hash) and every run gets a {@link io.steward.engine.HostObject}: the global object
 * through which a script reaches everything it does not define itself (claims 32–35). The host object talks to
 * the coordinator only through {@link io.steward.engine.RunContext}.
 */
package io.steward.engine;
