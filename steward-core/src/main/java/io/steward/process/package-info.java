/**
 * The process component (claim 25, second component): launches, watches and kills the local
 * processes a run starts.
 *
 * <p>{@link io.steward.process.LocalProcesses} is the registry and the only way in: it launches a
 * {@link io.steward.process.ProcessSpec}, streams each output line to a
 * {@link io.steward.process.ProcessListener} while the process runs, keeps a capped copy of stdout
 * and stderr for the caller, and kills whole process trees on cancel, timeout or run failure.
 */
package io.steward.process;
