package nexus.mcp.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.TagFolder;

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

    /**
     * The children of a point of the namespace ({@link nexus.query.TagService#browse} as the caller):
     * every tag under the prefix the caller may read is counted; at most {@code max.rows} children,
     * {@code complete} says whether more were cut.
     *
     * @param uri {@code nexus://tags/} followed by a path prefix (empty for the roots)
     */
    Map<String, Object> children(Caller caller, String uri) {
        if (!uri.startsWith(TAGS)) {
            throw new NexusException(ErrorCode.NOT_FOUND, "resource " + uri + " is not known: read " + SCHEMA + " or " + TAGS + "<prefix>");
        }
        TagFolder folder = Backends.need(backends.tags(), "the tag service (nexus.query)")
                .browse(caller, decode(uri.substring(TAGS.length())), maxRows);
        List<Map<String, Object>> list = new ArrayList<>();
        for (TagFolder.Child child : folder.children()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", child.name());
            c.put("uri", TAGS + encode(child.path()));
            c.put("tags", child.tags());
            c.put("tag", child.tag());
            list.add(c);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prefix", folder.prefix());
        out.put("children", list);
        out.put("complete", folder.complete());
        out.put("registryVersion", folder.registryVersion());
        return out;
    }

    /** Characters a URI path carries as they are (RFC 3986 unreserved, sub-delims, ':', '@', and '/'). */
    private static final String PLAIN = "-._~!$&'()*+,;=:@/";

    /** @return a path as a URI path: every other character percent-encoded as UTF-8 */
    static String encode(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || PLAIN.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /**
     * @return a URI path's percent-escapes decoded as UTF-8 (a client may send {@code caf%C3%A9} or {@code café})
     * @throws NexusException INVALID_ARGUMENT for a broken escape
     */
    static String decode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            int c = path.codePointAt(i);
            if (c != '%') {
                bytes.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c) - 1;
                continue;
            }
            int hi = i + 2 < path.length() ? Character.digit(path.charAt(i + 1), 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(path.charAt(i + 2), 16);
            if (lo < 0) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the resource URI has a broken %-escape at character " + i
                        + ": write %XX with two hex digits (UTF-8 bytes)");
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
