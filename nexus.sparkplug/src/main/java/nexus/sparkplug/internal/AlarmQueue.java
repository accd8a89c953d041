package nexus.sparkplug.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import nexus.alarm.AlarmEvent;

/**
 * Alarm events on their way from the alarm scan (any thread, {@link nexus.alarm.EventSink}) to the
 * next NDATA (the Sparkplug thread). Bounded: an event beyond {@link #CAPACITY} is dropped, counted,
 * and marks the queue as overflowed; the edge node then publishes a new birth instead of the
 * events, since the birth carries every alarm's state and so the host catches up. Thread-safe;
 * {@link #offer} never blocks.
 */
final class AlarmQueue {

    /** The most events waiting for the next publish interval. */
    static final int CAPACITY = 10_000;

    private final ArrayBlockingQueue<AlarmEvent> events;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();

    AlarmQueue() {
        this(CAPACITY);
    }

    AlarmQueue(int capacity) {
        this.events = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues an event; when the queue is full, drops it and marks the overflow. Any thread, never blocks. */
    void offer(AlarmEvent event) {
        if (!events.offer(event)) {
            dropped.incrementAndGet();
            overflowed.set(true);
        }
    }

    /** @return the events queued, oldest first, now taken out of the queue */
    List<AlarmEvent> drain() {
        List<AlarmEvent> taken = new ArrayList<>(Math.min(events.size(), CAPACITY));
        events.drainTo(taken);
        return taken;
    }

    /**
     * Empties the queue and clears the overflow: a birth is being built, and it carries every
     * alarm's state as it is after these events.
     *
     * @return whether the queue had overflowed
     */
    boolean clear() {
        events.clear();
        return overflowed.getAndSet(false);
    }

    /** @return whether events were dropped since the last {@link #clear()}: the next tick publishes a birth */
    boolean overflowed() {
        return overflowed.get();
    }

    /** @return how many events were dropped since the queue was made */
    long dropped() {
        return dropped.get();
    }
}
