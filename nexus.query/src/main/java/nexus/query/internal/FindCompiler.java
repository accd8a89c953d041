package nexus.query.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.query.FindFilter;

/**
 * A {@link FindFilter}'s registry half compiled to ONE SELECT over the public views, with a {@code ?}
 * for every value: a value never becomes SQL text, so no filter can change what the statement is.
 * The text depends only on the filter's shape (how many globs, keys, values), never on its values.
 *
 * <p>A glob becomes {@code path_glob(?, path)} (the namespace's rule, {@link PathGlob}), behind a
 * range on its literal prefix ({@code path >= ? AND path < ?}) so that the path index narrows the
 * scan; a glob {@code **} drops the path criterion. Sets become {@code IN (?, …)} (sorted, so one
 * filter always gives one text); a property key {@code id IN (SELECT tag_id FROM tag_properties
 * WHERE key = ? AND value IN (…))}; alarm definitions a correlated {@code EXISTS} over {@code alarms}.
 * The page continues after a path ({@code path > ?}, or {@code <} descending) and is one row longer
 * than asked, to tell whether more follow. Plain Java; thread-safe.
 */
final class FindCompiler {

    /** The columns of a row, in this order; {@code id} first, so the engine attaches each tag's value. */
    static final String COLUMNS = "id, path, type, bank, byte_offset, bit_offset, length, unit, description, writable,"
            + " eng_low, eng_high";

    /** SQL with its placeholder values. */
    record Compiled(String sql, List<Object> params) {
    }

    private FindCompiler() {
    }

    /**
     * @param after the path the page continues after, or {@code null} for the first page
     * @param rows  the rows the page asks for (the SQL asks one more)
     * @throws NexusException INVALID_ARGUMENT naming the glob that {@link PathScope} does not take
     */
    static Compiled compile(FindFilter filter, String after, int rows) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        paths(filter.paths(), where, params);
        for (Map.Entry<String, Set<String>> property : filter.properties().entrySet()) {
            params.add(property.getKey());
            where.add("id IN (SELECT tag_id FROM tag_properties WHERE key = ? AND value" + in(property.getValue(), params)
                    + ")");
        }
        if (!filter.units().isEmpty()) {
            where.add("unit" + in(filter.units(), params));
        }
        if (!filter.types().isEmpty()) {
            where.add("type" + in(filter.types(), params));
        }
        if (filter.writable() != null) {
            where.add("writable = ?");
            params.add(filter.writable() ? 1L : 0L);
        }
        alarms(filter.alarms(), where, params);
        boolean descending = filter.order() == FindFilter.Order.PATH_DESC;
        if (after != null) {
            where.add(descending ? "path < ?" : "path > ?");
            params.add(after);
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM tags");
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        sql.append(" ORDER BY path").append(descending ? " DESC" : "").append(" LIMIT ?");
        params.add((long) rows + 1);
        return new Compiled(sql.toString(), params);
    }

    private static void paths(List<String> globs, List<String> where, List<Object> params) {
        for (int i = 0; i < globs.size(); i++) {
            String glob = globs.get(i);
            try {
                PathScope.of(glob);
            } catch (IllegalArgumentException e) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "paths[" + i + "]: " + e.getMessage());
            }
            if (glob.length() > PathGlob.MAX_GLOB) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "paths[" + i + "]: the glob is " + glob.length()
                        + " characters; the limit is " + PathGlob.MAX_GLOB);
            }
        }
        if (globs.isEmpty() || globs.contains("**")) {
            return; // the whole namespace: no path criterion
        }
        List<String> any = new ArrayList<>();
        for (String glob : globs) {
            any.add(term(glob, params));
        }
        where.add(any.size() == 1 ? any.get(0) : "(" + String.join(" OR ", any) + ")");
    }

    /**
     * One glob as SQL. Exact without the function where the index alone can answer: a glob of literal
     * segments is {@code path = ?}; one of literal segments and a final {@code **} is the path itself
     * or a path under it ({@code path = ? OR path >= 'p/' AND path < 'p0'}, {@code 0} following
     * {@code /}). Any other is {@code path_glob} behind the range of its literal prefix.
     */
    private static String term(String glob, List<Object> params) {
        String prefix = PathGlob.literalPrefix(glob);
        if (prefix.equals(glob)) {
            params.add(glob);
            return "path = ?";
        }
        if (glob.equals(prefix + "/**") && !prefix.isEmpty()) {
            params.add(prefix);
            params.add(prefix + "/");
            params.add(prefix + "0");
            return "(path = ? OR (path >= ? AND path < ?))";
        }
        String successor = PathGlob.successor(prefix);
        StringBuilder term = new StringBuilder("(");
        if (!prefix.isEmpty()) {
            term.append("path >= ? AND ");
            params.add(prefix);
            if (successor != null) {
                term.append("path < ? AND ");
                params.add(successor);
            }
        }
        params.add(glob);
        return term.append(PathGlob.FUNCTION).append("(?, path))").toString();
    }

    private static void alarms(FindFilter.AlarmCriteria alarms, List<String> where, List<Object> params) {
        if (alarms == null) {
            return;
        }
        if (Boolean.FALSE.equals(alarms.present())) {
            where.add("NOT EXISTS (SELECT 1 FROM alarms a WHERE a.tag_id = tags.id)");
            return;
        }
        if (alarms.present() == null && alarms.severities().isEmpty() && alarms.conditions().isEmpty()) {
            return;
        }
        StringBuilder exists = new StringBuilder("EXISTS (SELECT 1 FROM alarms a WHERE a.tag_id = tags.id");
        if (!alarms.severities().isEmpty()) {
            exists.append(" AND a.severity").append(in(names(alarms.severities()), params));
        }
        if (!alarms.conditions().isEmpty()) {
            exists.append(" AND a.condition").append(in(names(alarms.conditions()), params));
        }
        where.add(exists.append(')').toString());
    }

    private static Set<String> names(Collection<? extends Enum<?>> values) {
        Set<String> names = new TreeSet<>();
        values.forEach(v -> names.add(v.name()));
        return names;
    }

    /** @return {@code " = ?"} or {@code " IN (?, ?, …)"}, adding the values in sorted order */
    private static String in(Collection<String> values, List<Object> params) {
        TreeSet<String> sorted = new TreeSet<>(values);
        params.addAll(sorted);
        return sorted.size() == 1 ? " = ?" : " IN (" + String.join(", ", java.util.Collections.nCopies(sorted.size(), "?"))
                + ")";
    }
}
