package io.steward.cli;

import io.steward.client.StewardApiException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The loop of {@code steward shell}: reads a line with JLine (editing, history, completion), runs it, repeats.
 *
 * <p>A line is a steward command ({@link #COMMANDS}) executed through a fresh picocli {@link CommandLine} of the
 * real {@link Steward}, so its options, output and errors are exactly those of the command line; the shell only
 * hands it the current {@link Connection} as {@link Steward#session}. {@code connect}, {@code help} and
 * {@code exit} are the shell's own.
 *
 * <p>Ctrl-C: while a line is being edited JLine turns it into {@link UserInterruptException} (the line is dropped);
 * while a command runs, the terminal is back in its normal mode, the tty sends SIGINT, and the handler installed
 * here interrupts the command's thread — a {@code watch} stops, the shell stays. Ctrl-D at an empty prompt ends it.
 */
final class Shell {
    /** The steward commands the shell runs; those that start servers or agents are left to the command line. */
    static final Set<String> COMMANDS = Set.of("run", "runs", "status", "watch", "logs", "cancel", "send", "nodes", "node",
            "script", "server-info", "token", "login", "logout", "context", "var", "lock", "queue", "pool", "schedule", "notify");
    private static final int STOPPED = 130;

    private final Environment environment;
    private final org.jline.terminal.Terminal terminal;
    private final LineReader reader;
    private final PrintWriter out;
    private final Terminal colours;
    private final boolean interactive = Terminal.detectTerminal();
    private volatile Connection connection;
    private volatile Thread running;
    private volatile boolean interrupted;

    Shell(Environment environment, Connection connection) throws IOException {
        this.environment = environment;
        this.connection = connection;
        // dumb(true): without a terminal (stdin a pipe) fall back to plain line reading, without JLine's warning
        this.terminal = TerminalBuilder.builder().system(true).dumb(true).build();
        this.out = terminal.writer();
        this.colours = new Terminal(Terminal.of(out).tty() && !org.jline.terminal.Terminal.TYPE_DUMB.equals(terminal.getType())
                && !org.jline.terminal.Terminal.TYPE_DUMB_COLOR.equals(terminal.getType()));
        CommandLine model = Steward.commandLine(environment, null);
        Set<String> names = new LinkedHashSet<>(new java.util.TreeSet<>(COMMANDS));
        names.addAll(List.of("connect", "help", "exit", "quit"));
        LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("steward")
                .completer(new ShellCompleter(model, names, () -> this.connection, environment))
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true);
        try {
            ConfigFile.createPrivateDirectory(environment.configDir());
            builder.variable(LineReader.HISTORY_FILE, environment.historyFile());
        } catch (IOException e) {
            // a read-only home: the shell works, it only forgets this session's history
            out.println(colours.dim("no history: cannot create " + environment.configDir() + " (" + e.getMessage() + ")"));
        }
        this.reader = builder.build();
        terminal.handle(org.jline.terminal.Terminal.Signal.INT, signal -> stopRunningCommand());
    }

    /** Runs until {@code exit}, {@code quit} or Ctrl-D; answers the exit code of the shell (0). */
    int run() {
        try {
            out.println("Steward shell — `help` lists the commands, Tab completes, Ctrl-C stops a command, Ctrl-D or `exit` leaves.");
            check(connection);
            while (true) {
                String line;
                try {
                    line = reader.readLine(prompt());
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                List<String> words = new ArrayList<>(reader.getParsedLine().words());
                words.removeIf(String::isEmpty);
                if (words.isEmpty()) {
                    continue;
                }
                String command = words.getFirst();
                if (command.equals("exit") || command.equals("quit")) {
                    break;
                }
                switch (command) {
                    case "help" -> help(words);
                    case "connect" -> connect(words.subList(1, words.size()));
                    default -> execute(words);
                }
            }
            return ExitCodes.OK;
        } finally {
            try {
                reader.getHistory().save();
                terminal.close();
            } catch (IOException e) {
                // the history of this session is lost; nothing else is, and the shell is ending anyway
            }
        }
    }

    /** No prompt when reading from a pipe: like sh, a script fed to the shell prints only what its commands print. */
    private String prompt() {
        if (!interactive) {
            return "";
        }
        String where = connection.context() != null ? connection.context() : hostAndPort(connection.url());
        return colours.bold("steward") + " " + colours.green(where) + "> ";
    }

    private static String hostAndPort(String url) {
        try {
            URI uri = URI.create(url.contains("://") ? url : "http://" + url);
            return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /** Runs one steward command in its own thread, so that Ctrl-C can interrupt it and leave the shell reading. */
    private void execute(List<String> words) {
        if (!COMMANDS.contains(words.getFirst())) {
            out.println(colours.red("error: ") + "unknown command '" + words.getFirst() + "' — `help` lists the commands");
            out.flush();
            return;
        }
        CommandLine cli = Steward.commandLine(environment, connection);
        cli.setOut(out);
        cli.setErr(out);
        CommandLine.IExecutionExceptionHandler errors = cli.getExecutionExceptionHandler();
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (interrupted && (e instanceof InterruptedException
                    || e instanceof StewardApiException api && StewardApiException.INTERRUPTED.equals(api.code()))) {
                return STOPPED;
            }
            return errors.handleExecutionException(e, line, parsed);
        });
        int[] code = new int[1];
        interrupted = false;
        Thread worker = Thread.ofPlatform().name("steward-shell-command").unstarted(() -> code[0] = cli.execute(words.toArray(String[]::new)));
        running = worker;
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
        } finally {
            running = null;
        }
        if (interrupted) {
            out.println();  // after the ^C the terminal echoed
            out.println(colours.dim("stopped"));
        }
        out.flush();
        if (code[0] == ExitCodes.OK) {
            followConfig(words);
        }
    }

    /**
     * After {@code login} or {@code context use} the shell moves to the new current context, as a new shell would;
     * after {@code logout} of the context it is on, it forgets the token too. Other commands leave it where it is,
     * even if it was started on a URL and token of its own.
     */
    private void followConfig(List<String> words) {
        String second = words.size() > 1 ? words.get(1) : "";
        if (words.contains("--help") || words.contains("-h")) {
            return;
        }
        if (words.getFirst().equals("login") || words.getFirst().equals("context") && second.equals("use")) {
            connection = Connection.resolve(null, null, null, null, environment);
        } else if (words.getFirst().equals("logout") && connection.context() != null
                && ConfigFile.read(environment.configFile()).get(connection.context()).map(c -> c.token() == null).orElse(false)) {
            connection = new Connection(connection.url(), null, connection.context(), connection.caCert());
        }
    }

    private void stopRunningCommand() {
        Thread worker = running;
        if (worker != null) {
            interrupted = true;
            worker.interrupt();
        }
    }

    /** {@code connect URL|CONTEXT [--token T]}: switches after checking the server and the token, else stays. */
    private void connect(List<String> args) {
        String target = null;
        String token = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--token") && i + 1 < args.size()) {
                token = args.get(++i);
            } else if (target == null && !args.get(i).startsWith("-")) {
                target = args.get(i);
            } else {
                target = null;
                break;
            }
        }
        if (target == null) {
            out.println(colours.red("error: ") + "usage: connect URL [--token TOKEN] or connect CONTEXT (see `context list`)");
            out.flush();
            return;
        }
        try {
            boolean isContext = ConfigFile.read(environment.configFile()).get(target).isPresent();
            Connection next = Connection.resolve(isContext ? null : target, token, isContext ? target : null, null, environment);
            if (check(next)) {
                connection = next;
            }
        } catch (RuntimeException e) {
            out.println(colours.red("error: ") + e.getMessage());
            out.flush();
        }
    }

    /** Says who we are on the server; a refusal is printed, and answered false, rather than ending the shell. */
    private boolean check(Connection candidate) {
        try {
            ServerCheck.Identity who = ServerCheck.check(candidate.url(), candidate.token(), candidate.caCert());
            out.println("connected to " + who.url() + " (Steward " + who.version() + ") as " + who.name() + " (" + who.role() + ")");
            return true;
        } catch (RuntimeException e) {
            out.println(colours.red("error: ") + e.getMessage());
            return false;
        } finally {
            out.flush();
        }
    }

    private void help(List<String> words) {
        if (words.size() > 1 && COMMANDS.contains(words.get(1))) {
            execute(List.of(words.get(1), "--help"));
            return;
        }
        CommandLine model = Steward.commandLine(environment, null);
        Table table = new Table("COMMAND", "WHAT IT DOES");
        table.row("connect URL [--token T]", "Switch to another server (or a context by name); a stored token is used");
        new java.util.TreeSet<>(COMMANDS).forEach(name -> {
            String[] description = model.getSubcommands().get(name).getCommandSpec().usageMessage().description();
            table.row(name, description.length == 0 ? "" : description[0]);
        });
        table.row("help [COMMAND]", "This list, or a command's options");
        table.row("exit, quit", "Leave the shell (or Ctrl-D)");
        table.print(out, colours);
    }
}
