package io.steward.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/** Scripts read from a folder on disk; names are paths relative to it and can never leave it. */
public final class DirectoryScriptSource implements ScriptSource {
    private final Path root;
    private final Set<String> extensions;

    public DirectoryScriptSource(Path root, Set<String> extensions) {
        this.root = root.toAbsolutePath().normalize();
        this.extensions = Set.copyOf(extensions);
    }

    @Override
    public ScriptText load(String name) {
        ScriptNames.check(name, extensions);
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("script name '" + name + "' points outside " + root);
        }
        try {
            return new ScriptText(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ScriptNotFoundException(name, "no script named '" + name + "' in " + root);
        } catch (IOException e) {
            throw new ScriptNotFoundException(name, "cannot read script '" + name + "': " + e.getMessage());
        }
    }
}
