package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * {@code steward script push FILE...}: stores files as scripts. Every file is read before the first is pushed, so a
 * typo in the last name does not leave half a set pushed. Pushing unchanged content makes no new version.
 */
@Command(name = "push", mixinStandardHelpOptions = true, description = {
        "Store script files on the server (a new version when the content changed).",
        "The name is the file's path relative to here (deploy/web.groovy) when it lies below here, else its file name.",
        "--json prints {\"pushed\": [the server's answer for each file]}."})
final class ScriptPushCommand implements Callable<Integer> {
    @Mixin
    RemoteOptions remote;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Script files (.groovy, .js).")
    List<Path> files;

    @Option(names = "--name", paramLabel = "NAME", description = "Store the (single) file under this name.")
    String name;

    @Override
    public Integer call() {
        if (name != null && files.size() > 1) {
            throw new IllegalArgumentException("--name names one script, but " + files.size() + " files were given");
        }
        Map<String, String> sources = new LinkedHashMap<>();
        for (Path file : files) {
            sources.put(name != null ? name : defaultName(file), read(file));
        }
        List<Map<String, Object>> pushed = new ArrayList<>();
        try (StewardClient client = remote.connect()) {
            for (Map.Entry<String, String> script : sources.entrySet()) {
                Map<String, Object> answer = client.pushScript(script.getKey(), script.getValue());
                pushed.add(answer);
                if (!remote.json) {
                    remote.out().println(Boolean.TRUE.equals(answer.get("created"))
                            ? "pushed " + answer.get("name") + " v" + answer.get("version") + " (" + answer.get("language")
                              + ", sha256 " + shortHash(answer.get("sha256")) + ")"
                            : answer.get("name") + " v" + answer.get("version") + " unchanged");
                    remote.out().flush();
                }
            }
        }
        if (remote.json) {
            remote.printJson(Map.of("pushed", pushed));
        }
        return ExitCodes.OK;
    }

    /** The file's path below the current directory, with forward slashes; otherwise just its file name. */
    static String defaultName(Path file) {
        if (!file.isAbsolute()) {
            Path clean = file.normalize();
            if (!clean.toString().isEmpty() && !clean.startsWith("..")) {
                StringJoiner name = new StringJoiner("/");
                clean.forEach(part -> name.add(part.toString()));
                return name.toString();
            }
        }
        Path fileName = file.toAbsolutePath().normalize().getFileName();
        if (fileName == null) {
            throw new IllegalArgumentException(file + " is not a file");
        }
        return fileName.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    static String shortHash(Object sha256) {
        String s = String.valueOf(sha256);
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
