package io.steward.agent;

import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything the link's thread reacts to, in one queue: frames and closes from the WebSocket's callbacks, and
 * wake-ups from script threads that have something new in the outbox. Each socket item names its socket, so that
 * the late words of an old connection are recognised and ignored. Wake-ups coalesce: a run emitting 10,000 events
 * puts one wake-up in the queue, not 10,000.
 */
final class LinkInbox {
    sealed interface Item permits Frame, Closed, Failed, Heard, Wake {
    }

    record Frame(WebSocket socket, String text) implements Item {
    }

    record Closed(WebSocket socket, int code, String reason) implements Item {
    }

    record Failed(WebSocket socket, Throwable error) implements Item {
    }

    /** A pong: the primary is alive even when it has nothing to say. */
    record Heard(WebSocket socket) implements Item {
    }

    enum Wake implements Item { WAKE }

    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();

    /** Never blocks: safe from script threads and socket callbacks. */
    void wake() {
        if (wakePending.compareAndSet(false, true)) {
            queue.offer(Wake.WAKE);
        }
    }

    void put(Item item) {
        queue.offer(item);
    }

    /** The next item, waiting at most {@code millis} (0: not at all); {@code null} if none came. */
    Item poll(long millis) throws InterruptedException {
        Item item = millis <= 0 ? queue.poll() : queue.poll(millis, TimeUnit.MILLISECONDS);
        if (item == Wake.WAKE) {
            wakePending.set(false);
        }
        return item;
    }
}
