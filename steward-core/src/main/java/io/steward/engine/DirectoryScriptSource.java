package io.steward.engine;

import io.steward.files.ConfinedDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Scripts read from a folder on disk ({@code steward run-local}, and what they {@code include}); names are paths
 * relative to it and can never leave it: the name is held to {@link ScriptNames} and the file is found through
 * {@link ConfinedDirectory}, which follows symbolic links before it compares, so a link inside the folder that
 * points out of it is refused too.
 */
public final class DirectoryScriptSource implements ScriptSource {
    private final ConfinedDirectory root;
    private final Set<String> extensions;

    public DirectoryScriptSource(Path root, Set<String> extensions) {
        this.root = ConfinedDirectory.of(root);
        this.extensions = Set.copyOf(extensions);
    }

    /**
     * @throws IllegalArgumentException a {@link io.steward.files.PathRefusedException} when the name leaves the
     *                                  folder, by its text or through a symbolic link
     */
    @Override
    public ScriptText load(String name) {
        ScriptNames.check(name, extensions);
        try {
            Path file = root.resolve(name);
            return new ScriptText(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ScriptNotFoundException(name, "no script named '" + name + "' in " + root.root());
        } catch (IOException e) {
            throw new ScriptNotFoundException(name, "cannot read script '" + name + "': " + e.getMessage());
        }
    }
}
