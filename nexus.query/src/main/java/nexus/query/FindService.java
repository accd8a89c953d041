package nexus.query;

import org.osgi.annotation.versioning.ProviderType;

import nexus.core.Caller;

/**
 * Finds tags by a structured filter instead of SQL: for clients, and agents, that should not write
 * SQL. The filter's registry half (paths, properties, unit, type, writable, alarm definitions,
 * order, cursor) is compiled to ONE SELECT over the public views with every value bound as a
 * {@code ?} parameter, never written into the text, and run through {@link QueryService#select} as
 * the caller: the same guard, namespace scope, row caps, admission control and time limit as any
 * query. Its live half (value range, quality, alarm state) is not in the registry, so it is applied
 * to the values the block read brings back. Thread-safe; nothing is ever written.
 *
 * <p>Paging is by path (keyset): a result's {@link FindResult#cursor()} continues after the last row
 * examined, so no tag is skipped or given twice while the registry keeps its paths. A call examines
 * at most {@link #EXAMINED_MAX} rows (or {@code limit}, if larger): with a live filter that few
 * rows pass, a page may hold fewer than {@code limit} rows and still have a cursor.
 *
 * <p>Errors: those of {@link QueryService#select}, and {@code INVALID_ARGUMENT} for a cursor this
 * service did not give out for the same filter (malformed, of another filter, or of another
 * version of the cursor format); {@code BACKEND_UNAVAILABLE} when the filter needs alarm states
 * (live alarm criteria, {@link FindFilter#includeAlarms()}) and no {@link FindAlarms} is
 * registered (the alarm manager, bundle {@code nexus.alarm}, is not running). A caller whose read
 * scope is narrower than the filter's globs is not refused: its scope applies, as to any query.
 *
 * @since 2.4
 */
@ProviderType
public interface FindService {

    /** The most rows one call examines when its {@code limit} is lower: bounds a call's work under a live filter. */
    int EXAMINED_MAX = 10_000;

    /**
     * @return the page of tags that match, in the filter's order, with their values
     * @throws nexus.core.NexusException as described above; blocks while admission control makes it wait
     */
    FindResult find(Caller caller, FindFilter filter);

    /**
     * @return the SQL the filter compiles to (for the page its cursor asks), its parameter values, the
     *         RMA reads that SQL needs as the caller, and the live filter in words; runs the SQL, reads nothing
     */
    FindPlan explain(Caller caller, FindFilter filter);
}
