package nexus.rma;

/** The outcome of one {@link BlockRead}. Bulk reads never throw per block: each block carries this. */
public enum ReadStatus {
    /** The block has not been read since it was targeted. */
    NOT_READ,
    /** The block holds a consistent snapshot of its range. */
    OK,
    /** The backend has no bank with the requested id. */
    UNKNOWN_BANK,
    /** The range runs outside its bank. */
    OUT_OF_RANGE,
    /**
     * No consistent snapshot could be taken within the retry bound: a writer held the bank the whole
     * time (in the shared-memory backend, possibly a writer that died mid-write).
     */
    CONTENDED,
    /**
     * The backend has been closed (it is being replaced), or can no longer reach its memory (the
     * shared-memory file shrank while mapped).
     */
    UNAVAILABLE,
    /**
     * The block holds a consistent snapshot of its range, but of values a remote source sent that are
     * no longer current (a federation host's mirror of a node that went offline or lost messages):
     * they may be shown, never as good.
     *
     * @since 2.1
     */
    STALE
}
