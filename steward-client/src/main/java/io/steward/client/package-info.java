/**
 * The Java client of Steward's HTTP API (docs/api.md): the one library the CLI, agents and scripts
 * ({@code connect(url, token)}) use to talk to a primary. {@link io.steward.client.StewardClient} is the API;
 * everything else public here is the plain data it returns. Answers are the server's JSON as maps and lists, so
 * nothing is lost or renamed between the wire and the caller.
 */
package io.steward.client;
