package nexus.query.internal;

import java.util.ArrayList;
import java.util.List;

import nexus.core.Access;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.TagPath;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.TagFolder;
import nexus.registry.Registry;

/**
 * {@link nexus.query.TagService#browse}: one level of the namespace, counted by one grouping SELECT
 * through the engine as the caller, so the caller's read scope (its scope views), row cap, time
 * limit and admission apply as to any query. The prefix is a bound parameter; the rows are the
 * children, grouped over the prefix's index range {@code [prefix/, prefix0)} ('0' follows '/').
 * SQLite's {@code substr} and {@code instr} count characters, so the offset is in code points.
 * Thread-safe.
 */
final class TagBrowse {

    private final QueryEngine engine;
    private final TagSources sources;

    TagBrowse(QueryEngine engine, TagSources sources) {
        this.engine = engine;
        this.sources = sources;
    }

    TagFolder browse(Access access, String prefix, int limit) {
        if (limit < 1) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "limit is " + limit + ": a folder lists at least 1 child");
        }
        String folder = prefix == null ? "" : prefix;
        while (folder.endsWith("/")) {
            folder = folder.substring(0, folder.length() - 1);
        }
        String problem = folder.isEmpty() ? null : TagPath.problem(folder);
        if (problem != null) {
            String shown = folder.length() <= 100 ? folder : folder.substring(0, 100) + "…";
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "prefix '" + shown + "' is no path: " + problem);
        }
        String under = folder.isEmpty() ? "" : folder + "/";
        String rest = "substr(path, " + (under.codePointCount(0, under.length()) + 1) + ")";
        String sql = "SELECT CASE WHEN instr(" + rest + ", '/') = 0 THEN " + rest + " ELSE substr(" + rest + ", 1, instr("
                + rest + ", '/') - 1) END AS child, count(*) AS tags, min(instr(" + rest + ", '/')) = 0 AS tag FROM tags"
                + (under.isEmpty() ? "" : " WHERE path >= ? AND path < ?") + " GROUP BY child ORDER BY child";
        List<Object> params = under.isEmpty() ? List.of() : List.of(under, folder + "0");
        int size = Math.min(limit, engine.limits().maxRows());
        try (Admission.Ticket slot = engine.admit()) {
            Registry registry = sources.registry().current();
            QueryResult result = engine.select(registry, sources.backend(), access, sql, new QueryOptions(size, 0, params));
            List<TagFolder.Child> children = new ArrayList<>(result.rows().size());
            for (QueryResult.Row row : result.rows()) {
                String name = String.valueOf(row.cells().get(0));
                children.add(new TagFolder.Child(name, under + name, ((Number) row.cells().get(1)).longValue(),
                        row.cells().get(2) instanceof Number n && n.intValue() == 1));
            }
            return new TagFolder(folder, children, !result.truncated(), result.registryVersion());
        }
    }
}
