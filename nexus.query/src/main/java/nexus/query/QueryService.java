package nexus.query;

import nexus.core.Caller;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Resolves the namespace with SELECT-only SQL and attaches live values. Thread-safe; a query never
 * changes the registry or RMA.
 *
 * <p>Errors: {@code QUERY_REJECTED} for anything but one SELECT over the public views with allowed
 * functions (the message says what was rejected and why, and for a syntax error where);
 * {@code INVALID_ARGUMENT} when the placeholder values in {@link QueryOptions#params()} do not
 * match the SQL's placeholders in number or kind; {@code QUERY_TIMEOUT} when SQLite runs past the
 * time limit; {@code OVERLOADED} when more queries arrive than the service runs and queues at once,
 * or when a long query was stopped because other long ones held every slot but the one kept for
 * short queries ({@link nexus.core.NexusException#retryAfter()} says when to try again);
 * {@code BACKEND_UNAVAILABLE} when no registry is served or its copy cannot be read (damaged,
 * unreadable). A missing RMA backend or bank never fails a query: the affected values carry
 * a BAD quality. Both {@link #select} and {@link #explain} are admitted the same way; they block
 * while they wait for a slot (bounded by the configured wait).
 */
@ProviderType
public interface QueryService {

    /**
     * Runs a SELECT as the caller and reads the values of the tags its rows carry. The SQL sees only
     * the part of the namespace the caller's {@link nexus.core.Access} reads: every public view is
     * that part of itself (tags, their properties, their alarms, the banks that hold them), so no
     * row, aggregate, join or error reveals the rest. The caller's row cap and time limit apply
     * on top of the service's own. A caller without the {@code read} permission sees nothing.
     *
     * @since 2.0
     */
    QueryResult select(Caller caller, String sql, QueryOptions options);

    /**
     * The RMA reads the SELECT would do as the caller (it runs the SQL, not the reads), with the
     * SQL's placeholder values and time limit from {@code options} (its row limit does not apply:
     * the plan covers every row the caller sees, up to its role's own row cap).
     *
     * @since 2.0
     */
    ReadPlan explain(Caller caller, String sql, QueryOptions options);

    /**
     * Runs a SELECT as the caller, exactly as {@link #select} does (same guard, scope, caps and
     * errors), and answers the tags its rows carry instead of the rows: what a subscription to the
     * answer of a query follows. No value is read.
     *
     * @return the paths of the tags the rows carry (the tag id column {@link #select} attaches values
     *         by), in row order, each once
     * @throws nexus.core.NexusException as {@link #select}, and INVALID_ARGUMENT when the answer has
     *                                   no tag id column (the message says to select {@code tags.id})
     * @since 2.1
     */
    TagSelection selectTags(Caller caller, String sql, QueryOptions options);

    /**
     * Reads the values at these allocations with the same merged, consistent block reads and the
     * same quality rules as {@link #select}; for callers that already know their tags.
     *
     * @return one value per allocation, in order
     */
    java.util.List<TagValue> read(java.util.List<nexus.rma.Allocation> allocations);
}
