package nexus.api.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

import nexus.query.QueryResult;

/**
 * The metadata cells of repeated rows answers kept as the JSON the rows form writes for them (issue 18
 * item 2): per row, the text after its first column's name ({@code 1,"path":"…","unit":"%"}), which
 * {@link QueryAnswers#rows} writes as that field's raw value instead of encoding the cells again. On a
 * 10,000-row answer of {@code id, path, unit} this cut the writing time by some 30 %
 * (docs/benchmarks.md).
 *
 * <p><b>Never another answer's bytes.</b> A kept row is used only when its cell list is the very list
 * its text was made from, or each of its cells is the very object ({@code ==}): the query engine's
 * result cache hands every repeat of a query the same unmodifiable list over the same cell objects,
 * which are immutable (Long, Double, String, null), so the same objects mean the same text, whatever
 * the registry version. (The lists of {@link QueryResult.Row#cells()} are unmodifiable as the engine
 * gives them; a writer that changed one would change its text too.) A row with a blob (a mutable
 * array, copied for each answer) is never kept. An answer is kept on its second sight: the first only notes
 * its first row's cells, so that answers whose cells are new every time (the result cache off, a
 * query that is not repeated) cost a comparison, not an encoding.
 *
 * <p><b>Bounded.</b> Answers are keyed by registry version, columns and row count; the first sight of
 * a newer version drops every answer kept. The bytes held (an estimate: the texts, their strings and
 * the cells they pin) stay within a bound, least recently used out first; an answer larger than the
 * bound alone is not kept. Thread-safe: one lock around the map; a kept answer never changes.
 */
final class RowFragments {

    /** The default bound: 16 MiB, three 10,000-row answers of {@code id, path, unit} (4.8 MB each, estimated). */
    static final long DEFAULT_BYTES = 16L << 20;

    private static final JsonFactory JSON = new JsonFactory();

    private record Key(long version, List<String> columns, int rows) {
    }

    /** One answer: its rows' cells, and the text of each row's metadata (null where a row is not kept). */
    static final class Kept {
        private final Object[][] cells;
        /** Each row's cell list as the answer kept gave it: the result cache hands every repeat the same one. */
        private final Object[] lists;
        private final SerializableString[] rests;
        private final long bytes;

        private Kept(Object[][] cells, Object[] lists, SerializableString[] rests, long bytes) {
            this.cells = cells;
            this.lists = lists;
            this.rests = rests;
            this.bytes = bytes;
        }

        /** @return the text after the first column's name of this row, or null when the row's cells are not the kept ones */
        SerializableString rest(int row, List<Object> now) {
            if (row >= rests.length || rests[row] == null) {
                return null;
            }
            if (lists[row] == now) {
                return rests[row]; // the very list (unmodifiable, over the cache's cells) the text was made from
            }
            Object[] then = cells[row];
            if (then.length != now.size()) {
                return null;
            }
            for (int c = 0; c < then.length; c++) {
                if (then[c] != now.get(c)) {
                    return null;
                }
            }
            return rests[row];
        }
    }

    private final long maxBytes;
    private final LinkedHashMap<Key, Kept> answers = new LinkedHashMap<>(16, 0.75f, true);
    /** Answers seen once: their first row's cells. */
    private final LinkedHashMap<Key, Object[]> seen = new LinkedHashMap<>(16, 0.75f, true);
    private long version = Long.MIN_VALUE;
    private long bytes;

    /** @param maxBytes the most bytes the kept answers may hold; 0 keeps none */
    RowFragments(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("the bound must be 0 (nothing kept) or more, not " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** @return what is kept for an answer like this one (its rows still to be checked one by one), or null */
    synchronized Kept kept(QueryResult result) {
        if (maxBytes == 0 || result.rows().isEmpty()) {
            return null;
        }
        newest(result.registryVersion());
        return answers.get(key(result));
    }

    /**
     * Notes an answer just written: the first sight of its first row's cells, or, on the second, the
     * text of every row's metadata (made here, once).
     */
    void written(QueryResult result, Kept used) throws IOException {
        if (maxBytes == 0 || result.rows().isEmpty() || used != null && used.rest(0, result.rows().get(0).cells()) != null) {
            return;
        }
        Key key = key(result);
        Object[] first = result.rows().get(0).cells().toArray();
        synchronized (this) {
            newest(result.registryVersion());
            Object[] before = seen.get(key);
            if (before == null || !same(before, first)) {
                seen.put(key, first);
                while (seen.size() > 64) {
                    Iterator<Object[]> eldest = seen.values().iterator();
                    eldest.next();
                    eldest.remove();
                }
                return;
            }
            seen.remove(key);
        }
        Kept kept = encode(result);
        if (kept == null) {
            return;
        }
        synchronized (this) {
            if (result.registryVersion() < version) {
                return;
            }
            newest(result.registryVersion());
            Kept old = answers.put(key, kept);
            bytes += kept.bytes - (old == null ? 0 : old.bytes);
            Iterator<Kept> eldest = answers.values().iterator();
            while (bytes > maxBytes && eldest.hasNext()) {
                bytes -= eldest.next().bytes;
                eldest.remove();
            }
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return answers.size();
    }

    private void newest(long registryVersion) {
        if (registryVersion > version) {
            answers.clear();
            seen.clear();
            bytes = 0;
            version = registryVersion;
        }
    }

    private static Key key(QueryResult result) {
        return new Key(result.registryVersion(), result.columns(), result.rows().size());
    }

    private static boolean same(Object[] a, Object[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    /** @return every row's metadata text, written by a generator of its own; null when larger than the bound */
    private Kept encode(QueryResult result) throws IOException {
        List<QueryResult.Row> rows = result.rows();
        int columns = result.columns().size();
        Object[][] cells = new Object[rows.size()][];
        Object[] lists = new Object[rows.size()];
        SerializableString[] rests = new SerializableString[rows.size()];
        long size = 64 + 24L * rows.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            CellWriter writer = new CellWriter(json);
            json.writeStartArray();
            for (int r = 0; r < rows.size(); r++) {
                Object[] row = rows.get(r).cells().toArray();
                if (row.length != columns || blob(row)) {
                    continue;
                }
                json.writeStartObject();
                json.writeFieldName(result.columns().get(0));
                json.flush();
                out.reset();
                writer.scalar(row[0]);
                for (int c = 1; c < columns; c++) {
                    json.writeFieldName(result.columns().get(c));
                    writer.scalar(row[c]);
                }
                json.flush();
                // The generator writes a name's colon with the value after it: the text starts there.
                String text = out.toString(StandardCharsets.UTF_8);
                SerializedString rest = new SerializedString(text.startsWith(":") ? text.substring(1) : text);
                rest.asUnquotedUTF8(); // made now, once, not at the first write
                json.writeEndObject();
                cells[r] = row;
                lists[r] = rows.get(r).cells();
                rests[r] = rest;
                size += 3L * rest.getValue().length() + 104 + 8L * columns + cellBytes(row);
                if (size > maxBytes) {
                    return null;
                }
            }
            json.writeEndArray();
        }
        return new Kept(cells, lists, rests, size);
    }

    private static boolean blob(Object[] row) {
        for (Object cell : row) {
            if (cell instanceof byte[]) {
                return true;
            }
        }
        return false;
    }

    /** The cells a kept row pins (the result cache may have let them go): a string 2 bytes a character + 40, a number 16. */
    private static long cellBytes(Object[] row) {
        long size = 0;
        for (Object cell : row) {
            size += cell instanceof String s ? 40 + 2L * s.length() : cell == null ? 0 : 16;
        }
        return size;
    }
}
