package io.steward.engine.groovy;

import io.steward.engine.ScriptText;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The source file names Groovy compiles scripts under, and the script each stands for.
 *
 * <p>Groovy names a script's class after its file, and a bare name in a script resolves to a class of that name
 * before it reaches the binding: a script called {@code log.groovy} would see itself, not the host object, when it
 * wrote {@code log.info(…)}. So each script is compiled under a synthetic file name that no script identifier can
 * clash with, and stack frames are mapped back to the real script name here.
 */
final class SourceFiles {
    private static final Map<String, String> SCRIPTS = new ConcurrentHashMap<>();

    private SourceFiles() {
    }

    /** The file name to compile {@code text} under; remembered so that {@link #scriptOf} can map it back. */
    static String register(ScriptText text) {
        String base = text.name().substring(text.name().lastIndexOf('/') + 1).replace(".groovy", "")
                .replaceAll("[^A-Za-z0-9_]", "_");
        String key = ScriptText.sha256(text.name() + '\0' + text.sha256()).substring(0, 12);
        String file = "Steward_" + base + "_" + key + ".groovy";
        SCRIPTS.put(file, text.name());
        return file;
    }

    /** The script a stack frame's file belongs to, or {@code null} when it is not a Steward script. */
    static String scriptOf(String fileName) {
        return fileName == null ? null : SCRIPTS.get(fileName);
    }
}
