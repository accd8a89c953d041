package nexus.stream.internal;

/**
 * One tag of a subscription: the last reading it accepted (what its deadband compares with) and the
 * readings waiting for the next message, at most {@code size}: when one more comes, the oldest is
 * discarded and the next item sent for the tag carries {@code "overflow": true}. Not thread-safe: its
 * subscription holds it.
 */
final class ItemQueue {

    private final int size;
    private Fragment accepted;
    private Fragment[] ring;
    private int head;
    private int count;
    private boolean overflow;
    /** Whether the subscription lists it among the tags with waiting readings. */
    boolean listed;

    ItemQueue(int size, Fragment accepted) {
        this.size = size;
        this.accepted = accepted;
    }

    /** @return the reading last accepted (the tag's state as the client will have it), or null */
    Fragment accepted() {
        return accepted;
    }

    /** Takes a reading as the tag's state without queueing it (a snapshot or a {@code tags} message carries it). */
    void accept(Fragment fragment) {
        accepted = fragment;
        clear();
    }

    /**
     * Queues a reading that passed the deadband.
     *
     * @return 1 when the oldest waiting reading was discarded to make room, else 0
     */
    int offer(Fragment fragment) {
        accepted = fragment;
        if (ring == null) {
            ring = new Fragment[size];
        }
        int discarded = 0;
        if (count == size) {
            ring[head] = null;
            head = (head + 1) % size;
            count--;
            overflow = true;
            discarded = 1;
        }
        ring[(head + count) % size] = fragment;
        count++;
        return discarded;
    }

    /** @return the readings waiting */
    int count() {
        return count;
    }

    /**
     * Appends the waiting readings as items of a data message (the first flagged when readings were
     * discarded before it) and empties the queue.
     *
     * @return how many items were appended
     */
    int drainTo(StringBuilder out, boolean first) {
        int drained = count;
        for (int k = 0; k < count; k++) {
            if (!first || k > 0) {
                out.append(',');
            }
            int at = (head + k) % size;
            ring[at].appendItem(out, k == 0 && overflow);
            ring[at] = null;
        }
        head = 0;
        count = 0;
        overflow = false;
        return drained;
    }

    /** Forgets the waiting readings. @return how many there were */
    int clear() {
        int cleared = count;
        if (ring != null) {
            java.util.Arrays.fill(ring, null);
        }
        head = 0;
        count = 0;
        overflow = false;
        return cleared;
    }
}
