/**
 * The {@code steward} command line (picocli): one subcommand per thing a user does. Which server and token a command
 * uses is {@link io.steward.cli.Connection}'s decision, from flags, the environment, the user's contexts
 * ({@link io.steward.cli.Contexts} in {@link io.steward.cli.ConfigFile}, written by {@code steward login}) and this
 * machine's server's data directory; {@code steward shell} ({@link io.steward.cli.Shell}) runs the same subcommands
 * interactively.
 */
package io.steward.cli;
