package io.steward.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Command-line values of the callback commands: JSON when it parses as a whole, else text; fractions 0..1. */
class CallbackValuesTest {
    @Test
    void valuesAreJsonWhenTheyParseAsAWholeElseText() {
        assertThat(CallbackValues.jsonOrString("building")).isEqualTo("building");
        assertThat(CallbackValues.jsonOrString("3")).isEqualTo(3);
        assertThat(CallbackValues.jsonOrString("true")).isEqualTo(true);
        assertThat(CallbackValues.jsonOrString("null")).isNull();
        assertThat(CallbackValues.jsonOrString("\"3\"")).isEqualTo("3");
        assertThat(CallbackValues.jsonOrString("{\"a\": [1, 2]}")).isEqualTo(Map.of("a", List.of(1, 2)));
        assertThat(CallbackValues.jsonOrString("3 apples")).isEqualTo("3 apples");
        assertThat(CallbackValues.jsonOrString("{broken")).isEqualTo("{broken");
        assertThat(CallbackValues.jsonOrString("")).isEqualTo("");
    }

    @Test
    void fractionsAreZeroToOneOrAPercentage() {
        assertThat(CallbackValues.fraction("0.5")).isEqualTo(0.5);
        assertThat(CallbackValues.fraction("50%")).isEqualTo(0.5);
        assertThat(CallbackValues.fraction("1")).isEqualTo(1.0);
        assertThatThrownBy(() -> CallbackValues.fraction("1.5")).hasMessageContaining("from 0 to 1");
        assertThatThrownBy(() -> CallbackValues.fraction("half")).hasMessageContaining("'half'");
        assertThatThrownBy(() -> CallbackValues.fraction("NaN")).hasMessageContaining("'NaN'");
    }
}
