package nexus.core;

/**
 * Stable error codes. The names are part of the public API: HTTP problem documents carry them in
 * their {@code code} member and shell messages print them, so a code is never renamed or reused
 * for another meaning.
 */
public enum ErrorCode {
    /** The request is malformed or a value is out of its allowed range. */
    INVALID_ARGUMENT,
    /** A SQL text was refused by the query guard before it reached SQLite. */
    QUERY_REJECTED,
    /** A query ran longer than its time limit and was interrupted. */
    QUERY_TIMEOUT,
    /** No tag has the requested path. */
    TAG_NOT_FOUND,
    /** The tag exists but is not marked writable. */
    NOT_WRITABLE,
    /** The requested resource does not exist. */
    NOT_FOUND,
    /** The request conflicts with the current state (for example an acknowledged alarm). */
    CONFLICT,
    /** A request body exceeds the configured maximum. */
    PAYLOAD_TOO_LARGE,
    /** A service the request needs (an RMA backend, the registry) is not available right now. */
    BACKEND_UNAVAILABLE,
    /** No alarm has the requested name. */
    ALARM_NOT_FOUND,
    /** An unexpected failure; details are logged, never returned to the caller. */
    INTERNAL,
    /**
     * The request comes through a name or from a page the node does not serve (its {@code Host}
     * or {@code Origin} is not allowed): the protection against DNS rebinding.
     *
     * @since 1.3
     */
    FORBIDDEN,
    /**
     * The node is busy: more requests of this kind arrived than it runs or queues at once, or a
     * long-running query was stopped to keep capacity for short ones. Nothing was done; the same
     * request may succeed later. {@link NexusException#retryAfter()} says when to try again.
     *
     * @since 1.3
     */
    OVERLOADED,
    /**
     * The request carries no credentials, or credentials that are not valid (malformed, unknown,
     * revoked, expired, wrongly signed): nothing was done. HTTP answers 401 with
     * {@code WWW-Authenticate}.
     *
     * @since 2.0
     */
    UNAUTHENTICATED,
    /**
     * Too many failed authentications came from this source lately: the request was not looked at.
     * {@link NexusException#retryAfter()} says when to try again (HTTP 429).
     *
     * @since 2.0
     */
    TOO_MANY_FAILURES,
    /**
     * A request was handed to another node (a write to a tag a federation host mirrors, carried out
     * by the edge node that owns it) and no answer came in time: it may or may not have been carried
     * out. Not a failure and not a success: read the tag to see where it stands before trying again.
     * HTTP answers 504.
     *
     * @since 2.1
     */
    OUTCOME_UNKNOWN
}
