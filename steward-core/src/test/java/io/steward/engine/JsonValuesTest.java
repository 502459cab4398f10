package io.steward.engine;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonValuesTest {

    @Test
    void wholeNumbersOfEveryKindBecomeLongs() {
        assertThat(JsonValues.copy("v", 3)).isEqualTo(3L);
        assertThat(JsonValues.copy("v", 3.0d)).isEqualTo(3L);
        assertThat(JsonValues.copy("v", new BigDecimal("3.00"))).isEqualTo(3L);
        assertThat(JsonValues.copy("v", 1.5d)).isEqualTo(1.5d);
        assertThat(JsonValues.copy("v", new BigDecimal("1.5"))).isEqualTo(1.5d);
        assertThat(JsonValues.copy("v", BigInteger.TWO.pow(70))).isEqualTo(BigInteger.TWO.pow(70));
    }

    @Test
    void copiesAreDeepAndImmutable() {
        List<Object> inner = new ArrayList<>(List.of(1));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("list", inner);
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) JsonValues.copy("v", outer);
        inner.add(2);
        assertThat(copy).isEqualTo(Map.of("list", List.of(1L)));
        assertThatThrownBy(() -> copy.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anythingElseIsRefusedNamingWhereAndWhat() {
        assertThatThrownBy(() -> JsonValues.copy("shared key 'cfg'", Map.of("hosts", List.of("a", new Date()))))
                .hasMessageContaining("shared key 'cfg' at 'hosts[1]'").hasMessageContaining("java.util.Date");
        assertThatThrownBy(() -> JsonValues.copy("v", Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> JsonValues.copy("v", Map.of(new Object(), 1))).hasMessageContaining("map keys must be strings");
        assertThatThrownBy(() -> JsonValues.copy("v", new JsonValues.NotJson("a JavaScript function")))
                .hasMessageContaining("v is a JavaScript function");
    }

    @Test
    void copyMapRefusesNonMaps() {
        assertThat(JsonValues.copyMap("args", null)).isEmpty();
        assertThatThrownBy(() -> JsonValues.copyMap("args", List.of(1))).hasMessageContaining("args must be a map");
    }
}
