package nexus.query.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Supplier;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.FindAlarms;
import nexus.query.FindFilter;
import nexus.query.FindPlan;
import nexus.query.FindResult;
import nexus.query.FindService;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryService;
import nexus.query.TagInfo;
import nexus.query.TagValue;

/**
 * {@link FindService} in plain Java: compiles the filter ({@link FindCompiler}), runs each SQL page
 * through the {@link QueryService} as the caller (so the guard, scope, caps, admission and time limit
 * are those of any query) and applies the live filter to the rows read.
 *
 * <p>Paging: SQL pages are fetched until {@code limit} rows passed, no row is left, or the call
 * examined {@link FindService#EXAMINED_MAX} rows (or {@code limit}, if larger); the cursor continues
 * after the last row EXAMINED, so a row is never skipped nor given twice. Without a live filter a
 * SQL page is the rows still wanted; with one, at least 256, since some will not pass. The caller's
 * row cap (the query service's, lowered by its role) bounds the rows of a call: a SQL page that comes
 * back shorter than asked and truncated has met it, and the call returns at most that many rows.
 */
final class Finder implements FindService {

    /** The smallest SQL page under a live filter. */
    static final int LIVE_PAGE = 256;

    private final QueryService queries;
    private final Supplier<FindAlarms> alarms;
    private final int examinedMax;

    /** @param alarms the alarm manager's answer, or {@code null} while it is not running; asked once per call */
    Finder(QueryService queries, Supplier<FindAlarms> alarms) {
        this(queries, alarms, EXAMINED_MAX);
    }

    /** With another bound of the rows a call examines (tests). */
    Finder(QueryService queries, Supplier<FindAlarms> alarms, int examinedMax) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.alarms = Objects.requireNonNull(alarms, "alarms");
        this.examinedMax = examinedMax;
    }

    @Override
    public FindResult find(Caller caller, FindFilter filter) {
        Objects.requireNonNull(caller, "caller");
        String after = filter.cursor() == null ? null : FindCursor.decode(filter, filter.cursor());
        FindAlarms states = filter.needsAlarms() ? alarmManager() : null;
        FindFilter.Live live = filter.live() == null || filter.live().isEmpty() ? null : filter.live();
        int limit = filter.limit();
        int budget = Math.max(limit, examinedMax);
        List<FindResult.Row> rows = new ArrayList<>();
        int examined = 0;
        String last = after;
        boolean more = true;
        long version = 0;
        while (more && rows.size() < limit && examined < budget) {
            int wanted = limit - rows.size();
            int page = Math.min(live == null ? wanted : Math.max(wanted, LIVE_PAGE), budget - examined);
            FindCompiler.Compiled sql = FindCompiler.compile(filter, last, page);
            QueryResult result = queries.select(caller, sql.sql(), new QueryOptions(page, 0, sql.params()));
            version = result.registryVersion();
            if (result.truncated() && result.rows().size() < page) {
                limit = Math.min(limit, Math.max(1, result.rows().size())); // the caller's row cap
            }
            Map<String, List<FindResult.TagAlarm>> alarmsOf = states == null ? Map.of()
                    : states.alarmsOf(caller, result.rows().stream().map(r -> (String) r.cells().get(1)).toList());
            int used = 0;
            for (QueryResult.Row sqlRow : result.rows()) {
                if (rows.size() >= limit || examined >= budget) {
                    break;
                }
                used++;
                examined++;
                FindResult.Row row = row(sqlRow, states == null ? null : alarmsOf.getOrDefault((String) sqlRow.cells().get(1),
                        List.of()));
                last = row.tag().path();
                if (passes(live, row)) {
                    rows.add(row);
                }
            }
            more = used < result.rows().size() || result.truncated();
            if (result.rows().isEmpty()) {
                more = false;
            }
        }
        return new FindResult(rows, more && last != null ? FindCursor.encode(filter, last) : null, examined, rows.size(),
                version);
    }

    @Override
    public FindPlan explain(Caller caller, FindFilter filter) {
        Objects.requireNonNull(caller, "caller");
        String after = filter.cursor() == null ? null : FindCursor.decode(filter, filter.cursor());
        if (filter.needsAlarms()) {
            alarmManager();
        }
        FindCompiler.Compiled sql = FindCompiler.compile(filter, after, filter.limit());
        return new FindPlan(sql.sql(), sql.params(), queries.explain(caller, sql.sql(), new QueryOptions(QueryOptions.DEFAULT_LIMIT,
                0, sql.params())), describe(filter));
    }

    private FindAlarms alarmManager() {
        FindAlarms current = alarms.get();
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "live.alarms and includeAlarms need the alarm manager"
                    + " (bundle nexus.alarm), which is not running: see GET /health, or find by alarm definitions (alarms)");
        }
        return current;
    }

    static boolean passes(FindFilter.Live live, FindResult.Row row) {
        if (live == null) {
            return true;
        }
        TagValue value = row.value();
        if (live.value() != null && !(value.value() instanceof Number number && live.value().contains(number.doubleValue()))) {
            return false;
        }
        if (!live.qualities().isEmpty() && !live.qualities().contains(value.quality())) {
            return false;
        }
        return live.alarms() == null || row.alarms().stream().anyMatch(live.alarms()::matches);
    }

    private static FindResult.Row row(QueryResult.Row row, List<FindResult.TagAlarm> alarms) {
        List<Object> c = row.cells();
        TagInfo tag = new TagInfo((Long) c.get(0), (String) c.get(1), (String) c.get(2), (String) c.get(3), whole(c.get(4)),
                whole(c.get(5)), whole(c.get(6)), (String) c.get(7), (String) c.get(8), whole(c.get(9)) != 0, real(c.get(10)),
                real(c.get(11)), Map.of());
        if (row.tag() == null) {
            throw new NexusException(ErrorCode.INTERNAL, "the query engine attached no value to tag " + tag.path());
        }
        return new FindResult.Row(tag, row.tag(), alarms);
    }

    private static int whole(Object cell) {
        return cell == null ? 0 : ((Number) cell).intValue();
    }

    private static Double real(Object cell) {
        return cell == null ? null : ((Number) cell).doubleValue();
    }

    /** @return the live half of the filter in words */
    static String describe(FindFilter filter) {
        List<String> parts = new ArrayList<>();
        FindFilter.Live live = filter.live();
        if (live != null && live.value() != null) {
            FindFilter.Range r = live.value();
            List<String> bounds = new ArrayList<>();
            if (r.gt() != null) {
                bounds.add("> " + r.gt());
            }
            if (r.ge() != null) {
                bounds.add(">= " + r.ge());
            }
            if (r.lt() != null) {
                bounds.add("< " + r.lt());
            }
            if (r.le() != null) {
                bounds.add("<= " + r.le());
            }
            parts.add("the value is a number " + String.join(" and ", bounds));
        }
        if (live != null && !live.qualities().isEmpty()) {
            parts.add("the quality is one of " + new TreeSet<>(live.qualities().stream().map(Enum::name).toList()));
        }
        if (live != null && live.alarms() != null) {
            FindFilter.LiveAlarms a = live.alarms();
            List<String> alarm = new ArrayList<>();
            if (!a.states().isEmpty()) {
                alarm.add("is in one of the states " + new TreeSet<>(a.states()));
            }
            if (a.inAlarm() != null) {
                alarm.add(a.inAlarm() ? "is in alarm" : "is not in alarm");
            }
            if (!a.activeSeverities().isEmpty()) {
                alarm.add("is in alarm with a severity of "
                        + new TreeSet<>(a.activeSeverities().stream().map(Enum::name).toList()));
            }
            parts.add("one of its alarms " + (alarm.isEmpty() ? "exists" : String.join(" and ", alarm)));
        }
        String words = parts.isEmpty() ? "none" : String.join("; ", parts);
        return filter.needsAlarms() ? words + " (rows carry their alarms' state)" : words;
    }
}
