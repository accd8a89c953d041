package nexus.mcp.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.QueryResult;
import nexus.query.QueryOptions;
import nexus.query.TagPage;
import nexus.query.TagReading;

/**
 * The MCP resources: {@value #SCHEMA} (the views and their columns, as the caller sees them) and
 * {@code nexus://tags/<prefix>} (the children of a point of the tag namespace: the next path segment
 * of every tag under it the caller may read, with how many tags each holds). Both go through the
 * public services as the caller. Answers are JSON text.
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

    /** @param uri {@code nexus://tags/} followed by a path prefix (empty for the roots) */
    Map<String, Object> children(Caller caller, String uri) {
        if (!uri.startsWith(TAGS)) {
            throw new NexusException(ErrorCode.NOT_FOUND, "resource " + uri + " is not known: read " + SCHEMA + " or " + TAGS + "<prefix>");
        }
        String prefix = uri.substring(TAGS.length());
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        String under = prefix.isEmpty() ? "" : prefix + "/";
        TagPage page = Backends.need(backends.tags(), "the tag service (nexus.query)").list(caller, under, null, maxRows);
        Map<String, int[]> children = new TreeMap<>();
        Map<String, Boolean> leaves = new TreeMap<>();
        for (TagReading reading : page.items()) {
            String rest = reading.path().substring(under.length());
            int slash = rest.indexOf('/');
            String child = slash < 0 ? rest : rest.substring(0, slash);
            children.computeIfAbsent(child, c -> new int[1])[0]++;
            if (slash < 0) {
                leaves.put(child, true);
            }
        }
        List<Map<String, Object>> list = new ArrayList<>();
        children.forEach((name, count) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", name);
            c.put("uri", TAGS + under + name);
            c.put("tags", count[0]);
            c.put("tag", leaves.containsKey(name));
            list.add(c);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prefix", prefix);
        out.put("children", list);
        out.put("complete", page.cursor() == null);
        out.put("registryVersion", page.registryVersion());
        return out;
    }
}
