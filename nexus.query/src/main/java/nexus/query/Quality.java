package nexus.query;

import nexus.rma.ReadStatus;

/** How far a value can be trusted. Every BAD quality says why. */
public enum Quality {
    /** Read from a consistent snapshot of RMA. */
    GOOD,
    /** No RMA backend is registered. */
    BAD_NO_BACKEND,
    /** The backend has no bank with the tag's bank id (its layout does not match the registry's). */
    BAD_UNKNOWN_BANK,
    /** The tag lies outside its bank in the backend (its layout does not match the registry's). */
    BAD_OUT_OF_RANGE,
    /** Writers kept the bank busy past the read time limit. */
    BAD_CONTENDED,
    /** The backend was being replaced. */
    BAD_UNAVAILABLE,
    /**
     * No tag has the path (or id) in the registry served now: a read of many tags answers it for the
     * item instead of failing the read, and a {@link TagWatch} reports it once.
     *
     * @since 1.2
     */
    BAD_NOT_IN_REGISTRY,
    /**
     * The value is the last one a remote node sent (a federation host's mirror), and it is no longer
     * current: the node went offline, or messages from it were lost and a new birth is awaited. The
     * value is shown; it is not good.
     *
     * @since 2.2
     */
    STALE,
    /**
     * The registry version's definitions do not fit together where this value is used: an alarm on a
     * contributed tag whose type in this version it cannot watch (OPC UA's Bad_ConfigurationError).
     *
     * @since 2.3
     */
    BAD_CONFIGURATION;

    public boolean isGood() {
        return this == GOOD;
    }

    /**
     * @return the quality of a value read with this status: the one mapping of RMA read statuses
     * @since 2.3
     */
    public static Quality of(ReadStatus status) {
        return switch (status) {
            case OK -> GOOD;
            case STALE -> STALE;
            case UNKNOWN_BANK -> BAD_UNKNOWN_BANK;
            case OUT_OF_RANGE -> BAD_OUT_OF_RANGE;
            case CONTENDED -> BAD_CONTENDED;
            case UNAVAILABLE, NOT_READ -> BAD_UNAVAILABLE;
        };
    }
}
