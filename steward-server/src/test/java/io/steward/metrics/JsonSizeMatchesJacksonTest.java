package io.steward.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.engine.JsonSize;
import io.steward.engine.JsonValues;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The size limits measure values with {@link JsonSize} instead of writing them: for random values (seeded; the seed
 * is in every failure message) it gives exactly the length of Jackson's compact UTF-8 JSON, which is what the store
 * and the API write, and it stops early without ever claiming a large value is small.
 */
class JsonSizeMatchesJacksonTest {
    private static final long SEED = 20261206L;
    private static final String ALPHABET = "abc XYZ 019 \"\\/\n\r\t\b\f\u0001\u001f é ß ☃ € 𝄞 😀";

    @Test
    void sizesMatchJacksonsOutput() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Random random = new Random(SEED);
        for (int i = 0; i < 500; i++) {
            Object value = JsonValues.copy("value", value(random, 0));
            long jackson = mapper.writeValueAsString(value).getBytes(StandardCharsets.UTF_8).length;
            String why = "seed " + SEED + ", case " + i + ": " + value;
            assertThat(JsonSize.of(value, Long.MAX_VALUE)).as(why).isEqualTo(jackson);
            long limit = random.nextInt((int) jackson + 2);
            assertThat(JsonSize.of(value, limit) > limit).as(why + " against " + limit).isEqualTo(jackson > limit);
        }
    }

    private static Object value(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 6 : 8);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextLong() >> random.nextInt(64);
            case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(30) - 15);
            case 4, 5 -> text(random);
            case 6 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int n = random.nextInt(5); n > 0; n--) {
                    map.put(text(random), value(random, depth + 1));
                }
                yield map;
            }
            default -> {
                List<Object> list = new ArrayList<>();
                for (int n = random.nextInt(5); n > 0; n--) {
                    list.add(value(random, depth + 1));
                }
                yield list;
            }
        };
    }

    private static String text(Random random) {
        StringBuilder s = new StringBuilder();
        int[] points = ALPHABET.codePoints().toArray();
        for (int n = random.nextInt(12); n > 0; n--) {
            s.appendCodePoint(points[random.nextInt(points.length)]);
        }
        return s.toString();
    }
}
