package io.steward.drills;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small tmpfs mounted for one drill (root only), so that the disk can really be filled; unmounted on close. */
final class TmpfsMount implements AutoCloseable {
    final Path path;

    private TmpfsMount(Path path) {
        this.path = path;
    }

    static TmpfsMount mount(Path path, int megabytes) throws IOException, InterruptedException {
        Files.createDirectories(path);
        run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", path.toString());
        return new TmpfsMount(path);
    }

    /** Writes {@code file} until the disk is full; answers how many bytes it took. */
    long fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
            return written;
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "--lazy", path.toString());
    }
}
