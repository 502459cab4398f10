/**
 * Coordination between runs, across nodes and clients: global variables, mutexes and counting semaphores, event
 * semaphores, named queues and resource pools (what STAF's VAR, SEM, QUEUE and RESPOOL services gave test labs).
 *
 * <p>{@link io.steward.coordination.LocalCoordination} holds the state of one primary (scripts reach it through the {@link io.steward.coordination.Coordination} interface, on an agent over the link); every operation that a restart must
 * not lose (a variable set, a message put or taken, a pool entry added, an event posted) is written to its
 * {@link io.steward.coordination.Journal} before it takes effect. Holders and waiters live in memory only: every
 * holder is a run, and a primary that restarts marks its unfinished runs LOST, so no hold can outlive it. Waiters are
 * woken by the operation that frees what they wait for, never by polling. Whatever a run holds is released when it
 * ends, however it ends ({@link io.steward.coordination.Coordination#runEnded}).
 *
 * <p>Several primaries on one PostgreSQL database use {@code io.steward.store.SharedCoordination} instead, the same
 * interface with holders in the database and waiters woken by its notices (docs/cluster.md).
 */
package io.steward.coordination;
