package io.steward.client;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {

    @Test
    void stopsBeforeACharacterThatIsNotFinished() {
        byte[] text = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes
        assertThat(Utf8.completePrefix(text)).isEqualTo(10);
        for (int cut = 7; cut < 10; cut++) {
            assertThat(Utf8.completePrefix(Arrays.copyOf(text, cut))).as("cut at %d", cut).isEqualTo(6);
        }
        assertThat(Utf8.completePrefix(Arrays.copyOf(text, 5))).isEqualTo(3);
        assertThat(Utf8.completePrefix(Arrays.copyOf(text, 2))).isEqualTo(1);
        assertThat(Utf8.completePrefix(new byte[0])).isZero();
    }

    @Test
    void invalidBytesCountAsWholeSoReadingAlwaysMovesOn() {
        assertThat(Utf8.completePrefix(new byte[]{'a', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80})).isEqualTo(5);
        assertThat(Utf8.completePrefix(new byte[]{(byte) 0xFF})).isEqualTo(1);
    }
}
