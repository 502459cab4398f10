/**
 * Groovy, the default script language. Data members of the host object and every other name a script does not
 * define resolve through {@link io.steward.engine.groovy.HostBinding}; the host object's functions are methods of
 * the script base class {@link io.steward.engine.groovy.StewardScript}, which forwards them to the host object.
 * They are methods rather than binding closures so that calls bind statically and so that they win over Groovy's
 * own {@code sleep}, which ignores interrupts.
 *
 * <p>An included script is a library: {@link io.steward.engine.groovy.LibraryCustomizer} turns its top-level
 * declarations into fields and collects its classes at compile time, and the binding keeps the instance that ran
 * ({@link io.steward.engine.groovy.Library}), so that names and functions the including scripts cannot resolve
 * are looked up there (binding: variables and classes; {@code StewardScript.invokeMethod}: functions).
 */
package io.steward.engine.groovy;
