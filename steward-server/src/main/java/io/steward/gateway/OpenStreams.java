package io.steward.gateway;

import io.steward.store.TokenStore;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live streams open with each stored token (event streams, the change stream), so that a token's revoke or
 * expiry ends them at once instead of at their next request. The token store tells of revokes
 * ({@link TokenStore#onRevoke}); expiries are timed here, one timer per stream with an expiry. Nothing is asked of
 * the store per frame. Run tokens (which die with their run) open no entry.
 *
 * <p>Ending a stream is its owner's business: each entry holds what ends it ({@code end}), called at most once,
 * with the reason, from a revoking request's thread or the timer: it must only wake the stream's own thread.
 */
final class OpenStreams implements AutoCloseable {
    private final Map<String, Set<Entry>> byToken = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("steward-token-expiry").factory());
    private final Runnable stopListening;

    OpenStreams(TokenStore tokens) {
        this.stopListening = tokens.onRevoke(this::revoked);
    }

    /** One open stream; closing it (when the stream ends by itself) forgets it. */
    final class Entry implements AutoCloseable {
        private final String token;
        private final Consumer<String> end;
        private volatile ScheduledFuture<?> expiry;
        private boolean done;
        private volatile boolean endedByToken;

        private Entry(String token, Consumer<String> end) {
            this.token = token;
            this.end = end;
        }

        private void end(String reason) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                endedByToken = true;
                // Under the lock: once close() has returned, the stream's thread is no longer woken.
                end.accept(reason);
            }
            forget();
        }

        /** Whether the token's revoke or expiry has ended it. */
        boolean ended() {
            return endedByToken;
        }

        @Override
        public void close() {
            synchronized (this) {
                done = true;
            }
            forget();
        }

        private void forget() {
            if (expiry != null) {
                expiry.cancel(false);
            }
            byToken.computeIfPresent(token, (t, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /**
     * Registers a stream opened by {@code caller}; {@code end} is called, once, when the caller's token is revoked or
     * expires while the stream is open. A run token's stream is not registered.
     */
    Entry open(Caller caller, Consumer<String> end) {
        Entry entry = new Entry(caller.name(), end);
        if (!caller.stored()) {
            return entry;
        }
        byToken.computeIfAbsent(caller.name(), t -> ConcurrentHashMap.newKeySet()).add(entry);
        Instant expiresAt = caller.expiresAt();
        if (expiresAt != null) {
            long delay = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
            synchronized (entry) {
                entry.expiry = timer.schedule(() -> entry.end("the token '" + caller.name() + "' expired at "
                        + expiresAt), delay, TimeUnit.MILLISECONDS);
            }
        }
        return entry;
    }

    /** How many streams are open with the token (for tests). */
    int openWith(String token) {
        Set<Entry> entries = byToken.get(token);
        return entries == null ? 0 : entries.size();
    }

    private void revoked(String token) {
        Set<Entry> entries = byToken.remove(token);
        if (entries != null) {
            for (Entry entry : entries) {
                entry.end("the token '" + token + "' was revoked");
            }
        }
    }

    @Override
    public void close() {
        stopListening.run();
        timer.shutdownNow();
    }
}
