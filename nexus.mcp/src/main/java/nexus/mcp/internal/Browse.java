package nexus.mcp.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.QueryResult;
import nexus.query.QueryOptions;

/**
 * The MCP resources: {@value #SCHEMA} (the views and their columns, as the caller sees them) and
 * {@code nexus://tags/<prefix>} (the children of a point of the tag namespace: the next path segment
 * of every tag under it the caller may read, with how many tags each holds). Both are SELECTs through
 * the query service as the caller. Answers are JSON text.
 */
final class Browse {

    static final String SCHEMA = "nexus://schema";
    static final String TAGS = "nexus://tags/";
    static final String TEMPLATE = "nexus://tags/{+prefix}";

    private final Backends backends;
    private final int maxRows;

    Browse(Backends backends, int maxRows) {
        this.backends = backends;
        this.maxRows = maxRows;
    }

    Map<String, Object> schema(Caller caller) {
        var query = Backends.need(backends.query(), "the query service (nexus.query)");
        List<Map<String, Object>> views = new ArrayList<>();
        for (String view : ReadTools.VIEWS) {
            QueryResult result = query.select(caller, "SELECT * FROM " + view + " LIMIT 1", QueryOptions.limit(1));
            views.add(Map.of("view", view, "columns", result.columns()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("views", views);
        out.put("about", "Read-only SQL views of the tag registry (docs/registry.md, 'Schema'); query them with the"
                + " 'query' tool (docs/query.md) or filter tags with 'find_tags' (docs/find.md). Paths are segments"
                + " separated by '/'; browse them under " + TAGS + "<prefix>.");
        return out;
    }

    /**
     * The next path segment of every tag under the prefix the caller may read, with how many tags
     * each holds and whether it is a tag itself: one grouping SELECT as the caller (so the role's
     * scope and caps apply), over the prefix's index range. At most {@code max.rows} children; more
     * are cut, and {@code complete} says so.
     *
     * @param uri {@code nexus://tags/} followed by a path prefix (empty for the roots)
     */
    Map<String, Object> children(Caller caller, String uri) {
        if (!uri.startsWith(TAGS)) {
            throw new NexusException(ErrorCode.NOT_FOUND, "resource " + uri + " is not known: read " + SCHEMA + " or " + TAGS + "<prefix>");
        }
        String prefix = uri.substring(TAGS.length());
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        String under = prefix.isEmpty() ? "" : prefix + "/";
        // SQLite counts characters (code points) in substr; the range is [under, under with its '/' as '0')
        int from = under.codePointCount(0, under.length()) + 1;
        String rest = "substr(path, " + from + ")";
        String sql = "SELECT CASE WHEN instr(" + rest + ", '/') = 0 THEN " + rest + " ELSE substr(" + rest + ", 1, instr("
                + rest + ", '/') - 1) END AS child, count(*) AS tags, min(instr(" + rest + ", '/')) = 0 AS tag FROM tags"
                + (under.isEmpty() ? "" : " WHERE path >= ? AND path < ?") + " GROUP BY child ORDER BY child";
        List<Object> params = under.isEmpty() ? List.of() : List.of(under, under.substring(0, under.length() - 1) + "0");
        QueryResult result = Backends.need(backends.query(), "the query service (nexus.query)")
                .select(caller, sql, new QueryOptions(maxRows, 0, params));
        List<Map<String, Object>> list = new ArrayList<>();
        for (QueryResult.Row row : result.rows()) {
            String name = String.valueOf(row.cells().get(0));
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", name);
            c.put("uri", TAGS + under + name);
            c.put("tags", ((Number) row.cells().get(1)).longValue());
            c.put("tag", row.cells().get(2) instanceof Number n && n.intValue() == 1);
            list.add(c);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prefix", prefix);
        out.put("children", list);
        out.put("complete", !result.truncated());
        out.put("registryVersion", result.registryVersion());
        return out;
    }
}
