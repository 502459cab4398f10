package io.steward.coordinator;

import java.security.SecureRandom;

/**
 * Run ids: 26-character ULIDs (48 bits of milliseconds, 80 random bits, Crockford base 32). They sort by time
 * as strings, which the store's cursors rely on, and ids made in the same millisecond still increase.
 */
public final class RunIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom SEED = new SecureRandom();

    private static long lastMillis;
    private static long randomHigh;
    private static long randomLow;

    private RunIds() {
    }

    public static synchronized String next() {
        long now = System.currentTimeMillis();
        if (now > lastMillis) {
            lastMillis = now;
            randomHigh = SEED.nextLong() & 0xFFFFFL;
            randomLow = SEED.nextLong() & 0xFFFF_FFFF_FFFFFFFL;
        } else if (++randomLow > 0xFFFF_FFFF_FFFFFFFL) {
            randomLow = 0;
            randomHigh = (randomHigh + 1) & 0xFFFFFL;
        }
        char[] id = new char[26];
        long time = lastMillis;
        for (int i = 9; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits: the high 20 then the low 60, as 16 characters of 5 bits.
        long low = randomLow;
        long high = randomHigh;
        for (int i = 25; i >= 10; i--) {
            id[i] = ALPHABET[(int) (low & 31)];
            low = (low >>> 5) | ((high & 31) << 55);
            high >>>= 5;
        }
        return new String(id);
    }
}
