package io.steward;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserHomeTest {

    @Test
    void homeFromTheEnvironmentWinsOverThePasswdEntry() {
        assertThat(UserHome.directory(Map.of("HOME", "/tmp/x"), "/home/account")).isEqualTo(Path.of("/tmp/x"));
        assertThat(UserHome.directory(Map.of("HOME", " /tmp/x "), "/home/account")).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void anUnsetBlankOrRelativeHomeFallsBackToUserHome() {
        assertThat(UserHome.directory(Map.of(), "/home/account")).isEqualTo(Path.of("/home/account"));
        assertThat(UserHome.directory(Map.of("HOME", " "), "/home/account")).isEqualTo(Path.of("/home/account"));
        assertThat(UserHome.directory(Map.of("HOME", "relative/dir"), "/home/account")).isEqualTo(Path.of("/home/account"));
    }
}
