/**
 * Benchmarks of the engine, run with JMH ({@code bench/run}); numbers go to the README, not into test assertions.
 */
package io.steward.bench;
