package io.steward.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a frame budget of a few blocks, followers of a run that spread out (fast ones, one that stops and falls far
 * behind, one that starts late) have their blocks evicted under them, read them again from the store, and still
 * each end with the same complete, ordered bytes, while the cache never holds more than its budget.
 */
class FollowersBehindTheFrameBudgetTest {
    @TempDir
    Path dir;
    TestPrimary primary;

    @BeforeEach
    void setUp() {
        primary = new TestPrimary(dir);
    }

    @AfterEach
    void tearDown() {
        primary.close();
    }

    /** Everything a follower would be sent, through {@code source} alone, as the route's loop asks for it. */
    private static byte[] follow(EventFrameSource source, String runId, long lastSeq, CountDownLatch pauseAfterFirst)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long last = 0;
        while (last < lastSeq) {
            FrameBlock.Slice slice = source.after(runId, last, false);
            if (slice.isEmpty()) {
                Thread.onSpinWait();
                continue;
            }
            slice.writeTo(out);
            last = slice.lastSeq();
            if (pauseAfterFirst != null) {
                assertThat(pauseAfterFirst.await(2, TimeUnit.MINUTES)).isTrue();
                pauseAfterFirst = null;
            }
        }
        return out.toByteArray();
    }

    @Test
    void evictedBlocksAreReadAgainAndEveryoneGetsTheSameBytes() throws Exception {
        primary.push("many.groovy", "(1..6000).each { status.set('n', it) }; 'done'");
        Map<String, Object> run = primary.admin.post("/api/v1/runs?wait=2m", Map.of("script", "many.groovy")).json();
        String id = (String) run.get("id");
        long lastSeq = ((Number) run.get("lastSeq")).longValue();
        primary.server.store().writer().flush();

        var store = primary.server.store();
        long budget = 3 * 200_000L;
        EventFrameCache cache = new EventFrameCache(budget, Duration.ofSeconds(30), Clock.systemUTC());
        EventFrameSource source = new EventFrameSource(cache, store, new SseFrames(new ObjectMapper()));
        CountDownLatch fastDone = new CountDownLatch(1);
        List<CompletableFuture<byte[]>> fast = new ArrayList<>();
        try (var lease = cache.follow(id); var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<byte[]> slow = CompletableFuture.supplyAsync(() -> call(() -> follow(source, id, lastSeq, fastDone)), threads);
            for (int f = 0; f < 6; f++) {
                fast.add(CompletableFuture.supplyAsync(() -> call(() -> follow(source, id, lastSeq, null)), threads));
            }
            CompletableFuture.allOf(fast.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            assertThat(cache.block(id, 0)).as("the first block was evicted while the slow follower held it").isNull();
            fastDone.countDown();
            byte[] reference = fast.getFirst().get();

            Matcher ids = Pattern.compile("(?m)^id: (\\d+)$").matcher(new String(reference, StandardCharsets.UTF_8));
            List<Long> seen = new ArrayList<>();
            while (ids.find()) {
                seen.add(Long.parseLong(ids.group(1)));
            }
            assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, lastSeq).boxed().toList());
            for (var other : fast) {
                assertThat(other.get()).isEqualTo(reference);
            }
            assertThat(slow.get(2, TimeUnit.MINUTES)).isEqualTo(reference);
            assertThat(follow(source, id, lastSeq, null)).as("a late follower").isEqualTo(reference);
            assertThat(cache.bytes()).isLessThanOrEqualTo(budget);
        }
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
