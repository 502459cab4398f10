/** The {@code steward} command line (picocli): one subcommand per thing a user does. */
package io.steward.cli;
