package nexus.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import nexus.core.AlarmCondition;
import nexus.core.Severity;

/**
 * Which tags {@link FindService} finds: every criterion given must hold (AND); within one criterion
 * any of its values may (OR). An empty list, set or map, and {@code null}, do not filter. Immutable.
 * Strings are compared exactly (case and all); the JSON form, its bounds and its schema are in
 * {@code docs/find.md} ({@code nexus.json.FindJson} reads and checks it).
 *
 * @param paths         path globs, any of which a tag's path must match, with the namespace's glob rule
 *                      ({@link nexus.core.PathScope}: {@code **} any number of segments, {@code *} any run
 *                      of characters within one segment, {@code ?} one character; everything else, {@code [ % _}
 *                      included, is itself)
 * @param properties    property key → the values it may have (one or several): the tag must have every
 *                      key with one of its values
 * @param units         engineering units, one of which the tag has
 * @param types         RMA type names ({@code FLOAT32}, {@code BOOL}, …), one of which the tag has
 * @param writable      whether the tag is writable; {@code null} for either
 * @param alarms        criteria on the alarms the registry defines for the tag; {@code null} for none
 * @param live          criteria on what is read now; {@code null} for none
 * @param order         the order of the rows: by path, the only order a cursor can continue exactly
 *                      (paths are unique and indexed; any other key would need the path as a tie-breaker
 *                      and a scan, and live values change between pages)
 * @param limit         the most rows in the page, 1 to {@link #MAX_LIMIT}; the caller's row cap lowers it
 * @param cursor        the cursor of the page before, or {@code null} for the first page
 * @param includeAlarms whether each row carries its alarms with their state (they do anyway when
 *                      {@code live} has alarm criteria)
 * @since 2.4
 */
public record FindFilter(List<String> paths, Map<String, Set<String>> properties, Set<String> units, Set<String> types,
        Boolean writable, AlarmCriteria alarms, Live live, Order order, int limit, String cursor, boolean includeAlarms) {

    /** The largest {@code limit}. */
    public static final int MAX_LIMIT = 10_000;

    /** The {@code limit} when none is given. */
    public static final int DEFAULT_LIMIT = 100;

    /** Every tag, by path, the default page size. */
    public static final FindFilter ALL = new FindFilter(List.of(), Map.of(), Set.of(), Set.of(), null, null, null, Order.PATH,
            DEFAULT_LIMIT, null, false);

    /** The order of the rows. */
    public enum Order {
        /** by path, ascending (byte order of UTF-8, as SQLite compares text) */
        PATH,
        /** by path, descending */
        PATH_DESC
    }

    /**
     * Criteria on the alarm definitions of the registry (no alarm manager needed).
     *
     * @param present    {@code true}: the tag has an alarm meeting the other two; {@code false}: it has
     *                   none at all (then the other two are empty); {@code null}: as {@code true} when
     *                   either of the other two is given
     * @param severities severities, one of which that alarm has
     * @param conditions conditions, one of which that alarm has
     */
    public record AlarmCriteria(Boolean present, Set<Severity> severities, Set<AlarmCondition> conditions) {
        public AlarmCriteria {
            severities = severities == null ? Set.of() : Set.copyOf(severities);
            conditions = conditions == null ? Set.of() : Set.copyOf(conditions);
            if (Boolean.FALSE.equals(present) && !(severities.isEmpty() && conditions.isEmpty())) {
                throw new IllegalArgumentException("alarms.present is false, so no severities or conditions can be asked");
            }
        }
    }

    /**
     * Criteria on what is read now, applied after the block read.
     *
     * @param value     a range the value must be in; only numbers pass (a BOOL, a text, a BAD value fail)
     * @param qualities qualities, one of which the value has
     * @param alarms    criteria on the tag's alarms now; {@code null} for none
     */
    public record Live(Range value, Set<Quality> qualities, LiveAlarms alarms) {
        public Live {
            qualities = qualities == null ? Set.of() : Set.copyOf(qualities);
        }

        /** @return whether it filters nothing */
        public boolean isEmpty() {
            return value == null && qualities.isEmpty() && alarms == null;
        }
    }

    /**
     * Bounds of a numeric value; {@code null} for no bound; at least one is set.
     *
     * @param gt greater than
     * @param ge greater than or equal
     * @param lt less than
     * @param le less than or equal
     */
    public record Range(Double gt, Double ge, Double lt, Double le) {
        public Range {
            if (gt == null && ge == null && lt == null && le == null) {
                throw new IllegalArgumentException("a range needs at least one of gt, ge, lt, le");
            }
        }

        /** @return whether the number is in the range */
        public boolean contains(double x) {
            return (gt == null || x > gt) && (ge == null || x >= ge) && (lt == null || x < lt) && (le == null || x <= le);
        }
    }

    /**
     * The tag passes when ONE of its alarms meets every criterion given.
     *
     * @param states           ISA-18.2 state names ({@link FindResult.TagAlarm#state()}), one of which the alarm is in
     * @param inAlarm          whether the alarm is in alarm (condition present, or latched); {@code null} for either
     * @param activeSeverities severities, one of which the alarm has while it is in alarm (so the
     *                         alarm must be in alarm)
     */
    public record LiveAlarms(Set<String> states, Boolean inAlarm, Set<Severity> activeSeverities) {
        public LiveAlarms {
            states = states == null ? Set.of() : Set.copyOf(states);
            activeSeverities = activeSeverities == null ? Set.of() : Set.copyOf(activeSeverities);
        }

        /** @return whether the alarm meets every criterion */
        public boolean matches(FindResult.TagAlarm alarm) {
            return (states.isEmpty() || states.contains(alarm.state()))
                    && (inAlarm == null || inAlarm == alarm.inAlarm())
                    && (activeSeverities.isEmpty() || alarm.inAlarm() && activeSeverities.contains(alarm.severity()));
        }
    }

    public FindFilter {
        paths = paths == null ? List.of() : List.copyOf(paths);
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        if (properties != null) {
            properties.forEach((key, values) -> {
                if (values.isEmpty()) {
                    throw new IllegalArgumentException("property '" + key + "' has no values: give one or more");
                }
                copy.put(Objects.requireNonNull(key, "property key"), Set.copyOf(values));
            });
        }
        properties = java.util.Collections.unmodifiableMap(copy);
        units = units == null ? Set.of() : Set.copyOf(units);
        types = types == null ? Set.of() : Set.copyOf(types);
        order = order == null ? Order.PATH : order;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " is outside 1 to " + MAX_LIMIT);
        }
    }

    /** @return this filter for the page this cursor continues to */
    public FindFilter withCursor(String next) {
        return new FindFilter(paths, properties, units, types, writable, alarms, live, order, limit, next, includeAlarms);
    }

    /** @return this filter with this page size */
    public FindFilter withLimit(int rows) {
        return new FindFilter(paths, properties, units, types, writable, alarms, live, order, rows, cursor, includeAlarms);
    }

    /** @return whether the rows carry their alarms: asked for, or needed by live alarm criteria */
    public boolean needsAlarms() {
        return includeAlarms || live != null && live.alarms() != null;
    }
}
