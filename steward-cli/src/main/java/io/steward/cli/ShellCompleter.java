package io.steward.cli;

import io.steward.client.RunQuery;
import io.steward.client.StewardClient;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Tab completion in {@code steward shell}: command names, then by command the names it takes — scripts (from the
 * server's list), run ids (the latest runs), node names, context names, files for {@code script push}, run states —
 * and a command's options when the word starts with {@code -}. Options come from the same picocli model the shell executes, so they cannot drift.
 *
 * <p>What comes from the server is fetched on Tab, through the shell's current connection, and kept for a few
 * seconds so that pressing Tab twice does not ask twice. A server that fails to answer completes nothing rather than
 * printing an error into the line being edited.
 */
final class ShellCompleter implements Completer {
    private static final Duration FRESH = Duration.ofSeconds(3);
    private static final Set<String> TAKE_RUN = Set.of("status", "watch", "logs", "cancel", "send");
    private static final Set<String> NAME_SCRIPT = Set.of("show", "history", "rm");
    private static final List<String> STATES = List.of("QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "LOST");

    private final Completer files = new org.jline.builtins.Completers.FileNameCompleter();

    private final CommandLine commands;
    private final Set<String> names;
    private final Supplier<Connection> connection;
    private final Environment environment;
    private final Cached<List<Map<String, Object>>> scripts = new Cached<>(StewardClient::scripts);
    private final Cached<List<Map<String, Object>>> runs = new Cached<>(c -> c.runs(RunQuery.all().limit(30)).runs());
    private final Cached<List<Map<String, Object>>> nodes = new Cached<>(StewardClient::nodes);

    ShellCompleter(CommandLine commands, Set<String> names, Supplier<Connection> connection, Environment environment) {
        this.commands = commands;
        this.names = names;
        this.connection = connection;
        this.environment = environment;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        if (index == 0) {
            names.forEach(name -> candidates.add(new Candidate(name)));
            return;
        }
        String command = words.getFirst();
        String word = line.word();
        String previous = words.get(index - 1);
        if (word.startsWith("-")) {
            options(words, index).forEach(option -> candidates.add(new Candidate(option)));
        } else if ("--on".equals(previous)) {
            nodeNames(candidates);
        } else if ("--script".equals(previous)) {
            scriptNames(candidates);
        } else if ("--state".equals(previous)) {
            STATES.forEach(state -> candidates.add(new Candidate(state)));
        } else if (previous.startsWith("-")) {
            return; // the value of another option: nothing sensible to offer
        } else if ("run".equals(command) || "script".equals(command) && index >= 2 && NAME_SCRIPT.contains(words.get(1))) {
            scriptNames(candidates);
        } else if ("script".equals(command) && index >= 2 && "push".equals(words.get(1))) {
            files.complete(reader, line, candidates);
        } else if ("script".equals(command) && index == 1) {
            commands.getSubcommands().get("script").getSubcommands().keySet().forEach(n -> candidates.add(new Candidate(n)));
        } else if (TAKE_RUN.contains(command)) {
            fetch(runs).forEach(r -> candidates.add(new Candidate(String.valueOf(r.get("id")), String.valueOf(r.get("id")), null,
                    r.get("script") + " " + r.get("state"), null, null, true)));
        } else if ("node".equals(command)) {
            nodeNames(candidates);
        } else if ("connect".equals(command) || "logout".equals(command) || "context".equals(command) && index >= 2) {
            ConfigFile.read(environment.configFile()).all().forEach(c -> candidates.add(new Candidate(c.name(), c.name(), null, c.server(), null, null, true)));
        } else if ("help".equals(command)) {
            names.forEach(name -> candidates.add(new Candidate(name)));
        }
    }

    private void scriptNames(List<Candidate> candidates) {
        fetch(scripts).forEach(s -> candidates.add(new Candidate(String.valueOf(s.get("name")))));
    }

    private void nodeNames(List<Candidate> candidates) {
        fetch(nodes).forEach(n -> candidates.add(new Candidate(String.valueOf(n.get("name")))));
    }

    /** The options of the (sub)command the words name so far, e.g. {@code script show} → {@code --version}. */
    private Set<String> options(List<String> words, int index) {
        CommandLine cli = commands.getSubcommands().get(words.getFirst());
        if (cli == null) {
            return Set.of();
        }
        for (int i = 1; i < index && cli.getSubcommands().containsKey(words.get(i)); i++) {
            cli = cli.getSubcommands().get(words.get(i));
        }
        return cli.getCommandSpec().optionsMap().keySet();
    }

    private List<Map<String, Object>> fetch(Cached<List<Map<String, Object>>> cache) {
        try {
            return cache.get(connection.get());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** One list from the server, kept for {@link #FRESH} per connection. */
    private static final class Cached<T> {
        private final Function<StewardClient, T> load;
        private Connection from;
        private long at;
        private T value;

        Cached(Function<StewardClient, T> load) {
            this.load = load;
        }

        synchronized T get(Connection connection) {
            if (value == null || !connection.equals(from) || System.nanoTime() - at > FRESH.toNanos()) {
                try (StewardClient client = StewardClient.connect(connection.url(), connection.token())) {
                    value = load.apply(client);
                }
                from = connection;
                at = System.nanoTime();
            }
            return value;
        }
    }
}
