package io.steward.store;

import java.util.Locale;

/** What an invoke gets when its script already has its maximum of runs running. */
public enum WhenBusy {
    /** The run waits QUEUED until a slot frees, first come first served. */
    QUEUE,
    /** The invoke is refused and no run exists. */
    REJECT;

    /** {@code queue} or {@code reject}, in any case. */
    public static WhenBusy parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("whenBusy must be queue or reject, not '" + text + "'");
        }
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
