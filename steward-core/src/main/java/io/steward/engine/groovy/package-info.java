/**
 * Groovy, the default script language. Data members of the host object and every other name a script does not
 * define resolve through {@link io.steward.engine.groovy.HostBinding}; the host object's functions are methods of
 * the script base class {@link io.steward.engine.groovy.StewardScript}, which forwards them to the host object.
 * They are methods rather than binding closures so that calls bind statically and so that they win over Groovy's
 * own {@code sleep}, which ignores interrupts.
 */
package io.steward.engine.groovy;
