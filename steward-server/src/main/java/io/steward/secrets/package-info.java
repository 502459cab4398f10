/**
 * Secret args on the primary (docs/scripting.md, "Secrets"): sealed into the store when a run is invoked with
 * them, opened again when a retry repeats the run. Masking them (and secret status values) is the coordinator's
 * job, in the run itself, so that it works alike on the primary and on agents.
 */
package io.steward.secrets;
