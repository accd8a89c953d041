package nexus.stream.internal;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

import nexus.alarm.AlarmEvent;

/**
 * The node-wide alarm feed: every alarm event the node publishes, numbered 1, 2, 3, … in the order
 * of publishing, in one sequence for this run (identified by a random {@link #run() run id}: a
 * number means nothing without its run, and a restart starts a new run). The last {@code size}
 * events are kept, so that a client that was away can resume from the last number it saw.
 *
 * <p>Built for the alarm scan, which publishes up to one event per alarm in one scan (10,000 in a
 * storm): {@link #publish} stores the event in a slot and wakes the readers that are waiting for
 * one; it never waits for a reader and never does I/O. Readers hold no lock the publisher takes:
 * they read slots by sequence number ({@link #entry}) and keep their own position, so a slow reader
 * costs no memory here; it only risks that its next event is overwritten, which it learns from
 * {@link #oldest()}.
 *
 * <p>Thread-safe. Publishers are serialized among themselves (the alarm manager already calls its
 * sinks one event at a time); readers run on any thread.
 */
final class AlarmRing {

    private final String run = UUID.randomUUID().toString();
    private final int size;
    private final AtomicReferenceArray<Entry> slots;
    /** Guards the numbering: publishers only. */
    private final Object publishing = new Object();
    /** The last sequence published; written after its slot, so that a reader seeing it sees the slot too. */
    private volatile long last;
    /** Readers that asked to be woken once by the next event; each publish wakes and removes them. */
    private final Set<Subscription.Wake> waiting = ConcurrentHashMap.newKeySet();

    /** The most events a ring keeps (its slots are allocated up front). */
    static final int SIZE_MAX = 1_000_000;

    /**
     * @param size how many events are kept for resume (configuration {@code alarm.ring.size})
     * @throws IllegalArgumentException as {@link #checkSize}
     */
    AlarmRing(int size) {
        checkSize(size);
        this.size = size;
        this.slots = new AtomicReferenceArray<>(size);
    }

    /** @throws IllegalArgumentException when the size is less than 1 or more than {@link #SIZE_MAX} */
    static void checkSize(int size) {
        if (size < 1 || size > SIZE_MAX) {
            throw new IllegalArgumentException("alarm.ring.size is " + size + ": the ring keeps at least 1 and at most "
                    + SIZE_MAX + " events; fix etc/nexus.stream.cfg");
        }
    }

    /**
     * Takes one event from the alarm manager (the stream component's {@code EventSink}): numbers it,
     * keeps it in place of the oldest once the ring is full, and wakes the readers waiting for an
     * event. Constant time apart from those wakes (each reader is woken once per wait, never per
     * event); no I/O, no waiting on readers.
     *
     * @param event the event; not null
     */
    void publish(AlarmEvent event) {
        Objects.requireNonNull(event, "event");
        synchronized (publishing) {
            long sequence = last + 1;
            slots.set(index(sequence), new Entry(sequence, event));
            last = sequence;
        }
        for (Subscription.Wake wake : waiting) {
            if (waiting.remove(wake)) { // once, even when another publisher drains at the same time
                wake.wake();
            }
        }
    }

    /** @return this run's id: random text, new each time the node (the stream component) starts */
    String run() {
        return run;
    }

    /** @return how many events the ring keeps */
    int size() {
        return size;
    }

    /** @return the sequence of the last event published, 0 before the first */
    long last() {
        return last;
    }

    /**
     * @return the sequence of the oldest event kept (1 until the ring has wrapped): a reader whose
     *         next event is older has lost it. Never decreases.
     */
    long oldest() {
        return Math.max(1, last - size + 1);
    }

    /**
     * @param after a sequence of this run (0: from the start)
     * @return whether the ring still holds every event published after it, so that a reader at
     *         {@code after} can go on without a gap
     */
    boolean holdsAfter(long after) {
        return after >= oldest() - 1 && after <= last;
    }

    /**
     * @param sequence the event's sequence
     * @return the event with that sequence, or {@code null} when it is not published yet or has
     *         left the ring (which {@link #oldest()} tells apart)
     */
    Entry entry(long sequence) {
        if (sequence < 1 || sequence > last) {
            return null;
        }
        Entry entry = slots.get(index(sequence));
        return entry != null && entry.sequence() == sequence ? entry : null;
    }

    /**
     * Wakes a reader once, when an event after {@code sequence} is published; at once (on the
     * calling thread) when there already is one. Once per call, even when a publish races with it:
     * whoever takes the wake out of the waiting readers calls it. A reader that ends while it waits calls
     * {@link #forget}, so that a quiet feed does not keep ended readers.
     *
     * @param sequence the last sequence the reader has taken
     * @param wake     what to call, the same object for every wait of one reader; thread-safe, never blocks
     */
    void wakeAfter(long sequence, Subscription.Wake wake) {
        waiting.add(wake);
        if (last > sequence && waiting.remove(wake)) {
            wake.wake(); // published between the reader's look and its wait: the publisher may have drained already
        }
    }

    /** Stops waking a reader that ended. */
    void forget(Subscription.Wake wake) {
        waiting.remove(wake);
    }

    private int index(long sequence) {
        return (int) ((sequence - 1) % size);
    }

    /**
     * One event of the feed, with its {@code event} object encoded once for every subscription
     * that sends it (on the first one's thread, never the publisher's).
     */
    static final class Entry {
        private final long sequence;
        private final AlarmEvent event;
        /** Computed at most a few times (a benign race), then shared. */
        private volatile String json;

        Entry(long sequence, AlarmEvent event) {
            this.sequence = sequence;
            this.event = event;
        }

        /** @return its node-wide sequence in this run */
        long sequence() {
            return sequence;
        }

        AlarmEvent event() {
            return event;
        }

        /** @return the {@code event} object of the {@code alarm} message, as JSON text */
        String json() {
            String text = json;
            if (text == null) {
                text = AlarmMessages.event(event);
                json = text;
            }
            return text;
        }
    }
}
