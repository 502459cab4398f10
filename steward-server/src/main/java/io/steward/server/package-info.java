/**
 * A primary assembled: the store, the engine and coordinator over it, and the gateway in front.
 * {@link io.steward.server.StewardServer} is what {@code steward server} and {@code steward demo} start.
 */
package io.steward.server;
