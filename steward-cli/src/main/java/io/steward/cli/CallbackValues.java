package io.steward.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Values given on the command line of a callback: JSON when the text is valid JSON ({@code 3}, {@code true},
 * {@code {"a": 1}}, {@code "quoted"}), else the text itself as a string, so that {@code status set phase building}
 * needs no quotes. Trailing text makes it a string ({@code 3 apples}), not a 3 with the rest ignored.
 */
final class CallbackValues {
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CallbackValues() {
    }

    static Object jsonOrString(String text) {
        try {
            return STRICT.readValue(text, Object.class);
        } catch (JsonProcessingException notJson) {
            return text;
        }
    }

    /** A fraction from 0 to 1 ({@code 0.5}); a percentage ({@code 50%}) is taken too. */
    static double fraction(String text) {
        String t = text.strip();
        try {
            double f = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100
                    : Double.parseDouble(t);
            if (f >= 0 && f <= 1) {
                return f;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new IllegalArgumentException("FRACTION must be a number from 0 to 1 (such as 0.5) or a percentage "
                + "(such as 50%), not '" + text + "'");
    }
}
