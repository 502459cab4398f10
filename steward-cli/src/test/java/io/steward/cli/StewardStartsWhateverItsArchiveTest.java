package io.steward.cli;

import io.steward.coordinator.NodeInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/steward} starts short commands with a class-data archive it makes next to the jar (an AOT cache on
 * JDK 25+, a dynamic CDS archive before; docs/perf/cli-startup.md). Whatever state that file is in, a command must
 * still do its work and print nothing else on its output: none yet, fresh, damaged, stale.
 *
 * <p>The real script runs in a copy of the checkout's layout holding just {@code bin/} and a stand-in for the
 * shaded jar (at test time it is not built yet): a jar of this build's classes whose manifest names the
 * dependencies' jars, next to it in {@code lib/}. With no sources in that copy, the script never tries to build.
 */
class StewardStartsWhateverItsArchiveTest {
    private static final String VERSION = "steward " + NodeInfo.VERSION + " (Java " + Runtime.version() + ")";

    @TempDir
    static Path home;

    private static Path jar;
    private static Path archive;

    @BeforeAll
    static void layOutACheckout() throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        for (String script : List.of("steward", "find-java")) {
            Files.copy(Path.of("..", "bin", script), bin.resolve(script));
            bin.resolve(script).toFile().setExecutable(true);
        }
        Path target = Files.createDirectories(home.resolve("steward-cli/target"));
        Path lib = Files.createDirectories(target.resolve("lib"));
        List<String> classPath = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.contains("test-classes") || !Files.exists(p)) {
                continue;
            }
            Path copy = lib.resolve((n++) + "-" + p.getFileName() + (Files.isDirectory(p) ? ".jar" : ""));
            if (Files.isDirectory(p)) {
                jarUp(p, copy, null);
            } else {
                Files.createSymbolicLink(copy, p.toAbsolutePath());
            }
            classPath.add("lib/" + copy.getFileName());
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.steward.cli.Steward");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        jar = target.resolve("steward-all.jar");
        jarUp(null, jar, manifest);
        Path jdk = Path.of(System.getProperty("java.home"));
        archive = target.resolve(Runtime.version().feature() >= 25 ? "steward-all.aot" : "steward-all.jsa");
        assertThat(jdk.resolve("bin/javac")).as("the tests run on a JDK, as bin/find-java wants").isExecutable();
    }

    @Test
    void aCommandWorksWithNoArchiveAFreshOneADamagedOneAndAStaleOne() throws Exception {
        Result first = steward("--version");
        assertThat(first.out).as(first.err).isEqualTo(VERSION + "\n");
        assertThat(first.err).contains("making the start-up archive");
        assertThat(Files.size(archive)).as("the archive is made: " + log()).isGreaterThan(0);

        Result fresh = steward("--version");
        assertThat(fresh.out).as(fresh.err).isEqualTo(VERSION + "\n");
        assertThat(fresh.err).isEmpty();

        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(12).nextBytes(garbage);
        Files.write(archive, garbage);
        Result damaged = steward("--version");
        assertThat(damaged.out).as(damaged.err).isEqualTo(VERSION + "\n");
        assertThat(damaged.err).as("the JVM ignores a damaged archive quietly").isEmpty();

        Files.write(archive, "not an archive".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(archive, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Result stale = steward("--version");
        assertThat(stale.out).as(stale.err).isEqualTo(VERSION + "\n");
        assertThat(stale.err).as("older than the jar: made again").contains("making the start-up archive");
        assertThat(Files.size(archive)).as("the archive is made again: " + log()).isGreaterThan(1000);
    }

    @Test
    void theServerCommandsDoNotTakeTheClientsArchiveOrFlags() throws Exception {
        // `server --help` goes the long-lived commands' way: JVM defaults, no archive made or needed
        Result help = steward("server", "--help");
        assertThat(help.out).as(help.err).startsWith("Usage: steward server");
        assertThat(help.err).doesNotContain("archive");
    }

    private record Result(int code, String out, String err) {
    }

    private static Result steward(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/steward").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("STEWARD_"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("HOME", home.toString());
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("steward " + String.join(" ", args) + " ends").isTrue();
        Result result = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        assertThat(result.code).as(result.out + result.err).isZero();
        return result;
    }

    private static String log() throws IOException {
        Path log = Path.of(archive + ".log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    /** A jar of the folder's files (none without one), with this manifest (none without one). */
    private static void jarUp(Path folder, Path jar, Manifest manifest) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = manifest == null ? new JarOutputStream(file) : new JarOutputStream(file, manifest)) {
            if (folder == null) {
                return;
            }
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    out.putNextEntry(new JarEntry(folder.relativize(f).toString().replace(File.separatorChar, '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
        }
    }
}
