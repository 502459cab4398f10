package io.steward.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The two lengths of every fault drill: the reduced one CI runs (the default), and the full one {@code bench/drills}
 * asks for with {@code -Dsteward.drills=full}. Each drill writes its figures (one line per figure) to the file named
 * by {@code steward.drills.figures} (default {@code target/drills/figures.tsv}), which {@code bench/drills} prints.
 */
final class Drills {
    /**
     * The JUnit tag of every drill: steward-cli's surefire execution {@code drills} runs exactly the classes with it
     * (two at a time), and its other tests leave them out.
     */
    static final String TAG = "drill";
    static final boolean FULL = "full".equals(System.getProperty("steward.drills"));

    private Drills() {
    }

    static Duration length(Duration reduced, Duration full) {
        return FULL ? full : reduced;
    }

    static int count(int reduced, int full) {
        return FULL ? full : reduced;
    }

    /** Records one figure of a drill: {@code drill <TAB> figure <TAB> value <TAB> mode}. */
    static synchronized void figure(String drill, String name, Object value) {
        Path file = Path.of(System.getProperty("steward.drills.figures", "target/drills/figures.tsv"));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, drill + "\t" + name + "\t" + value + "\t" + (FULL ? "full" : "reduced") + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a drill may change the machine (mount a tmpfs): only as root. */
    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
