package io.steward.files;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A folder that names from outside (a client, an agent-link frame, a script, a run id) are turned into file paths
 * in, and that no name can leave. Every place in Steward where such a name becomes a path goes through
 * {@link #resolve}.
 *
 * <p>Two checks, because either alone has been broken before. First the name itself ({@link Rule}): no control
 * character (NUL cuts a path short in native code), not absolute, no {@code ..} or {@code .} segment, no
 * backslash, and the same once percent-decoded, so that a layer that decodes again later (a URL, a shell script)
 * cannot turn {@code ..%2f} into a climb (Salt CVE-2020-11652). Then the file system: the path is made real
 * ({@link Path#toRealPath}, symbolic links followed) and compared with the folder's real path segment by segment
 * ({@link Path#startsWith(Path)}), never as a string, so that neither a symbolic link pointing out nor a sibling
 * whose name starts like the folder ({@code /data/scripts-evil} beside {@code /data/scripts}) passes (Jenkins
 * CVE-2021-21686, Nomad CVE-2022-24683).
 *
 * <p>What it does not promise: that the path stays inside after it is returned. A process that may change the
 * folder between the check and the open can still swap in a link; the folders here belong to the account that runs
 * Steward, and whoever can write in them owns that account anyway (SECURITY.md, "Out of scope").
 */
public final class ConfinedDirectory {
    /** The rules a name is held to, each with the message part that names it. */
    public enum Rule {
        EMPTY("is empty: a name is required"),
        CONTROL_CHARACTER("contains a control character (NUL included)"),
        ABSOLUTE("is absolute: give a path relative to the folder"),
        BACKSLASH("contains '\\': use '/' between folders"),
        DOT_SEGMENT("contains a '..' or '.' segment: names may not leave or point at their folder"),
        ENCODED_ESCAPE("climbs out of its folder once percent-decoded ('%2e%2e', '..%2f')"),
        OUTSIDE("leads outside the folder once symbolic links are followed");

        private final String says;

        Rule(String says) {
            this.says = says;
        }

        /** What the rule says, as error messages put it after the name. */
        public String says() {
            return says;
        }
    }

    /** More decodings than this and a name is taken for an attack rather than a file name with '%' in it. */
    private static final int MAX_DECODINGS = 3;

    private final Path root;

    private ConfinedDirectory(Path root) {
        this.root = root;
    }

    /**
     * The folder {@code dir}; it need not exist yet, as its real path is taken at each {@link #resolve} (a folder
     * replaced by a link meanwhile is judged by where it leads then).
     */
    public static ConfinedDirectory of(Path dir) {
        return new ConfinedDirectory(dir.toAbsolutePath().normalize());
    }

    /** The folder as given, absolute. */
    public Path root() {
        return root;
    }

    /**
     * The real path of {@code name} below the folder. The file need not exist: then its nearest existing ancestor
     * is made real and must be inside, and the rest of the name is appended to it.
     *
     * @throws PathRefusedException naming the name and the rule it breaks
     * @throws IOException          when the folder itself does not exist or cannot be read
     */
    public Path resolve(String name) throws IOException {
        checkName(name);
        Path real = realRoot();
        Path lexical;
        try {
            lexical = real.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw refused(name, Rule.CONTROL_CHARACTER, e.getReason());
        }
        if (!lexical.startsWith(real) || lexical.equals(real)) {
            throw refused(name, Rule.DOT_SEGMENT, null); // checkName keeps this from happening; a second lock
        }
        // the nearest entry that exists, a dangling link included: a later write would follow it
        Path existing = lexical;
        while (!existing.equals(real) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        Path realExisting;
        try {
            realExisting = existing.toRealPath();
        } catch (NoSuchFileException dangling) {
            throw refused(name, Rule.OUTSIDE, "'" + real.relativize(existing) + "' is a symbolic link to nothing");
        }
        if (!realExisting.startsWith(real)) {
            throw refused(name, Rule.OUTSIDE, "it leads to " + realExisting);
        }
        return realExisting.resolve(existing.relativize(lexical));
    }

    /**
     * Checks {@code name} by the rules that need no file system: what {@link #resolve} checks first.
     *
     * @throws PathRefusedException naming the name and the rule it breaks
     */
    public static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw refused(String.valueOf(name), Rule.EMPTY, null);
        }
        checkForm(name, name, false);
        String decoded = name;
        for (int i = 0; i < MAX_DECODINGS && decoded.indexOf('%') >= 0; i++) {
            String next;
            try {
                // '+' is left alone: it means a space only in form bodies, not in paths
                next = URLDecoder.decode(decoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notEncoded) {
                break; // a '%' that starts no escape: a plain character of the name
            }
            if (next.equals(decoded)) {
                break;
            }
            decoded = next;
            checkForm(name, decoded, true);
        }
        return name;
    }

    private static void checkForm(String name, String form, boolean decoded) {
        for (int i = 0; i < form.length(); i++) {
            if (Character.isISOControl(form.charAt(i))) {
                throw refused(name, decoded ? Rule.ENCODED_ESCAPE : Rule.CONTROL_CHARACTER, null);
            }
            if (form.charAt(i) == '\\') {
                throw refused(name, decoded ? Rule.ENCODED_ESCAPE : Rule.BACKSLASH, null);
            }
        }
        boolean absolute;
        try {
            absolute = form.startsWith("/") || Path.of(form).isAbsolute();
        } catch (InvalidPathException e) {
            absolute = false; // the file system will refuse it when the name is resolved
        }
        if (absolute) {
            throw refused(name, decoded ? Rule.ENCODED_ESCAPE : Rule.ABSOLUTE, null);
        }
        for (String segment : form.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw refused(name, decoded ? Rule.ENCODED_ESCAPE : Rule.DOT_SEGMENT, null);
            }
        }
    }

    private Path realRoot() throws IOException {
        try {
            return root.toRealPath();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(root.toString(), null, "the folder does not exist");
        }
    }

    private static PathRefusedException refused(String name, Rule rule, String detail) {
        return new PathRefusedException(name, rule, "the name '" + printable(name) + "' is refused: it " + rule.says()
                + (detail == null ? "" : " (" + detail + ")"));
    }

    /** The name with control characters shown as {@code \\uXXXX}, fit for a log line or an error message. */
    public static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        name.codePoints().limit(300).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return name.length() > 300 ? sb.append("…").toString() : sb.toString();
    }
}
