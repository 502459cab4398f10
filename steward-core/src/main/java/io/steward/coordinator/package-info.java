/**
 * The coordinator, or kernel (claim 25, fourth component): passes messages between the gateway and the engine,
 * loads the launcher and hands it every invoke request, keeps the registry of runs, script threads and local
 * processes, and owns each run's shared, private and status data and its event timeline.
 *
 * <p>The public surface is {@link io.steward.coordinator.Coordinator} with its request and snapshot types;
 * {@code Run}, {@code EventLog} and the data structures behind a run are package-private.
 */
package io.steward.coordinator;
