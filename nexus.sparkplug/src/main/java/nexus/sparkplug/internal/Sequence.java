package nexus.sparkplug.internal;

/**
 * The {@code seq} of a session's messages (Sparkplug B 3.0, 7.2): 0 in every NBIRTH, then one more
 * for each NDATA, 255 wrapping to 0. Not thread-safe: the Sparkplug thread owns it.
 */
final class Sequence {

    private int last = -1;

    /** @return 0: the seq of a birth, which every later message counts on from */
    int birth() {
        last = 0;
        return last;
    }

    /** @return the seq of the next message: one more than the last, 255 wrapping to 0 */
    int next() {
        if (last < 0) {
            throw new IllegalStateException("no NBIRTH was published in this session: data cannot be numbered before it");
        }
        last = (last + 1) & 0xFF;
        return last;
    }

    /** @return the seq of the last message, or -1 before the session's first birth */
    int last() {
        return last;
    }

    /** A new session: nothing is numbered until its birth. */
    void reset() {
        last = -1;
    }
}
