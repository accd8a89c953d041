package nexus.query.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import nexus.core.MetricFamily;
import nexus.core.PathScope;

/**
 * The metadata half of select answers, per registry version: the rows SQLite returned (columns,
 * cells, tag positions, truncated) and their read plan. Registry metadata cannot change within a
 * version, so a repeated query — same registry version, read scope, row cap, SQL text (white space
 * folded outside literals), bound parameters — needs neither the guard, nor SQLite, nor the planner:
 * only the block reads and decoding of its live values.
 *
 * <p>Bounded by an estimate of the bytes the entries hold (a string 2 bytes a character + 40, a boxed
 * number 16, a blob its length + 16, arrays their slots), least recently used out first. An answer
 * that alone is larger than the bound is served uncached. Entries are keyed by registry version, and
 * the first sight of a newer version drops every entry at once: no entry of an older version is ever
 * served. A query whose answer depends on the clock ({@code 'now'}, {@code CURRENT_TIMESTAMP}, in the
 * text or a parameter) is never cached. Thread-safe (one lock; a lookup is a hash probe).
 */
final class ResultCache {

    /** The default bound: 32 MiB, some 16 answers of 10,000 rows of the demo plant's tag metadata. */
    static final long DEFAULT_BYTES = 32L << 20;

    /**
     * What identifies an answer; null parameters are allowed.
     *
     * @param rows the caller's row cap (the request's limit, tightened by the engine's and the role's)
     */
    record Key(long version, PathScope scope, int rows, String sql, List<Object> params) {
    }

    /**
     * A cached answer: the rows as shown, their plan, and the bytes they are estimated to hold.
     *
     * @param shown per row, its cells as the unmodifiable list every answer from this entry shares
     *              (so that a writer may know a repeated row by its list); null for a row with a blob,
     *              which every answer gets a copy of
     * @param slots per row, the index of its tag in the plan's positions; -1 for a row without a tag
     */
    record Entry(QueryEngine.Rows rows, BlockPlanner.Plan plan, List<List<Object>> shown, int[] slots, long bytes) {
    }

    private final long maxBytes;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long version = Long.MIN_VALUE;
    private long bytes;

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder tooLarge = new LongAdder();

    /** @param maxBytes the most bytes the entries may hold; 0 turns the cache off */
    ResultCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("cache.bytes must be 0 (off) or more, not " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * @return the key of this query, or null when it is not to be cached (the cache is off, or the
     *         answer depends on the clock)
     */
    Key key(long version, PathScope scope, int rows, String sql, List<Object> params) {
        if (maxBytes == 0 || sql == null || !timeless(sql, params)) {
            return null;
        }
        List<Object> copy = params == null || params.isEmpty() ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(params));
        return new Key(version, scope, rows, normalise(sql), copy);
    }

    /** @return the cached answer for this key, or null (counted as a hit or a miss) */
    synchronized Entry get(Key key) {
        if (key.version() > version) {
            clear(key.version());
        }
        Entry entry = key.version() == version ? entries.get(key) : null;
        (entry == null ? misses : hits).increment();
        return entry;
    }

    /** @return whether this key's answer is kept now (not counted as a hit or a miss, and not made recent) */
    synchronized boolean contains(Key key) {
        return key.version() == version && entries.containsKey(key);
    }

    /** @return whether the cache keeps anything at all ({@code cache.bytes} above 0) */
    boolean enabled() {
        return maxBytes > 0;
    }

    /** Keeps an answer, evicting the least recently used ones to stay in bound; an answer of an older version is dropped. */
    synchronized void put(Key key, QueryEngine.Rows rows, BlockPlanner.Plan plan) {
        long size = estimate(key, rows, plan);
        if (size > maxBytes) {
            tooLarge.increment();
            return;
        }
        if (key.version() > version) {
            clear(key.version());
        } else if (key.version() < version) {
            return;
        }
        Entry old = entries.put(key, new Entry(rows, plan, shown(rows), slots(rows, plan), size));
        bytes += size - (old == null ? 0 : old.bytes());
        Iterator<Entry> eldest = entries.values().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= eldest.next().bytes();
            eldest.remove();
            evictions.increment();
        }
    }

    /** Drops every entry (the registry served a new version). */
    synchronized void clear() {
        clear(version);
    }

    private void clear(long newVersion) {
        entries.clear();
        bytes = 0;
        version = newVersion;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    long evictions() {
        return evictions.sum();
    }

    long tooLarge() {
        return tooLarge.sum();
    }

    /** The cache's figures as {@code /metrics} shows them. */
    List<MetricFamily> metrics() {
        long held;
        int size;
        synchronized (this) {
            held = bytes;
            size = entries.size();
        }
        return List.of(
                MetricFamily.single("nexus_query_cache_hits_total", MetricFamily.Type.COUNTER,
                        "Selects answered from the result cache (no guard, SQLite or planning; live values read).", hits()),
                MetricFamily.single("nexus_query_cache_misses_total", MetricFamily.Type.COUNTER,
                        "Selects the result cache did not hold (run, then kept).", misses()),
                MetricFamily.single("nexus_query_cache_evictions_total", MetricFamily.Type.COUNTER,
                        "Answers dropped from the result cache to stay within cache.bytes.", evictions()),
                MetricFamily.single("nexus_query_cache_too_large_total", MetricFamily.Type.COUNTER,
                        "Answers larger than cache.bytes on their own, served uncached.", tooLarge()),
                MetricFamily.single("nexus_query_cache_bytes", MetricFamily.Type.GAUGE,
                        "Bytes the result cache holds now (estimated).", held),
                MetricFamily.single("nexus_query_cache_entries", MetricFamily.Type.GAUGE,
                        "Answers the result cache holds now.", size),
                MetricFamily.single("nexus_query_cache_max_bytes", MetricFamily.Type.GAUGE,
                        "The result cache's bound, cache.bytes (0: off).", maxBytes));
    }

    /**
     * Folds white space outside literals and quoted names to one space and trims: the same query
     * typed twice is one entry, while {@code 'a  b'} and {@code 'a b'} stay two. A text with a
     * comment is kept exactly as given (folding a line comment's end would change what it hides).
     */
    static String normalise(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        char close = 0;
        boolean space = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (close != 0) {
                out.append(c);
                if (c == close) {
                    close = 0; // a doubled quote closes and reopens: copied alike
                }
                continue;
            }
            if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-'
                    || c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                return sql;
            }
            if (Character.isWhitespace(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
            close = switch (c) {
                case '\'', '"', '`' -> c;
                case '[' -> ']';
                default -> 0;
            };
        }
        return out.toString();
    }

    /**
     * Whether the answer can depend only on the registry version: SQLite's date and time functions
     * read the clock for {@code 'now'} (in the text or a parameter), and so do the
     * {@code CURRENT_TIME}, {@code CURRENT_DATE} and {@code CURRENT_TIMESTAMP} keywords. Judged on
     * the text, generously: a text that only mentions such a word is run every time, never wrongly kept.
     */
    private static final java.util.regex.Pattern CLOCK =
            java.util.regex.Pattern.compile("\\b(date|time|datetime|julianday|unixepoch|strftime|timediff)\\s*\\(");

    static boolean timeless(String sql, List<Object> params) {
        String text = sql.toLowerCase(Locale.ROOT);
        // SQLite's date and time functions read the clock when given no time ('now' is their default):
        // any call of one, and any 'now' or CURRENT_..., keeps the answer out of the cache
        if (text.contains("now") || text.contains("current_") || CLOCK.matcher(text).find()) {
            return false;
        }
        if (params != null) {
            for (Object param : params) {
                if (param instanceof String s && s.toLowerCase(Locale.ROOT).contains("now")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The bytes an answer holds, estimated: what its strings, numbers, arrays and key take on the heap. */
    /** @return per row, its cells as one unmodifiable list for every answer; null for a row with a blob */
    private static List<List<Object>> shown(QueryEngine.Rows rows) {
        List<List<Object>> shown = new ArrayList<>(rows.cells().size());
        for (Object[] row : rows.cells()) {
            boolean blob = false;
            for (Object cell : row) {
                blob |= cell instanceof byte[];
            }
            shown.add(blob ? null : Collections.unmodifiableList(Arrays.asList(row)));
        }
        return Collections.unmodifiableList(shown);
    }

    /** @return per row, the index of its tag in the plan's (sorted) positions; -1 for a row without a tag */
    private static int[] slots(QueryEngine.Rows rows, BlockPlanner.Plan plan) {
        int[] positions = rows.tagPositions();
        int[] slots = new int[positions.length];
        for (int r = 0; r < positions.length; r++) {
            slots[r] = positions[r] < 0 ? -1 : Arrays.binarySearch(plan.positions, positions[r]);
        }
        return slots;
    }

    static long estimate(Key key, QueryEngine.Rows rows, BlockPlanner.Plan plan) {
        long size = 200 + cell(key.sql());
        for (Object param : key.params()) {
            size += 8 + cell(param);
        }
        for (String column : rows.columns()) {
            size += 8 + cell(column);
        }
        for (Object[] row : rows.cells()) {
            size += 24 + 8L * row.length + 40; // its cells, and the list over them every answer shares
            for (Object cell : row) {
                size += cell(cell);
            }
        }
        size += 32 + 8L * rows.tagPositions().length; // the tags' positions, and their slots in the plan
        // the plan: its positions, and per tag its block and offset, per block bank, offset and length
        size += 64 + 12L * plan.positions.length + 16L * plan.blocks.blocks();
        return size;
    }

    private static long cell(Object cell) {
        if (cell == null) {
            return 0;
        }
        if (cell instanceof String text) {
            return 2L * text.length() + 40;
        }
        if (cell instanceof byte[] blob) {
            return blob.length + 16L;
        }
        return 16;
    }
}
