/**
 * The gateway (claim 25, third component): the network face of the primary — the HTTP API under
 * {@code /api/v1}, its event streams, authentication and authorisation. It turns requests into calls on the
 * coordinator and the store and never touches script engines. {@link io.steward.gateway.Gateway} is the entry.
 */
package io.steward.gateway;
