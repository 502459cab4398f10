package io.steward.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A {@code steward} executable for the processes of test runs: a shell script in a folder of its own that starts
 * this build's CLI from the test class path, so that {@code sh -c 'steward status set …'} runs the real command.
 */
public final class StewardOnPath {
    private StewardOnPath() {
    }

    /** Writes {@code dir/steward}; answers the PATH to give a process: {@code dir} first, then the test's PATH. */
    public static String install(Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path steward = dir.resolve("steward");
        Files.writeString(steward, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -Xshare:auto -cp '"
                + System.getProperty("java.class.path") + "' io.steward.cli.Steward \"$@\"\n");
        Files.setPosixFilePermissions(steward, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir + ":" + System.getenv("PATH");
    }
}
