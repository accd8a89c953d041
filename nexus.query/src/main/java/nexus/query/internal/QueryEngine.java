package nexus.query.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import nexus.core.Access;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.query.Quality;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryStats;
import nexus.query.ReadPlan;
import nexus.query.TagSelection;
import nexus.query.TagValue;
import nexus.registry.AllocationIndex;
import nexus.registry.Registry;
import nexus.rma.BlockPlan;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;
import nexus.rma.ValueCodec;

/**
 * The read path, plain Java: guard → admission → SQLite (read-only, time-limited, row-capped) →
 * tag ids → allocation index → block plan (cached) → one consistent read per block → decoded values.
 * A repeated select is answered from the {@link ResultCache}: its rows and plan are those of its
 * registry version, so only the block reads and decoding run again (admitted like the query).
 * The guard runs before admission (it is cheap and bounded, and a refused text is the caller's
 * error even under load); a slot is held while SQLite runs ({@link SqlRunner}) on one of the engine's
 * own read-only connections to the registry version's private copy ({@link RegistrySql}): the registry exports no
 * SQL connection, and only this engine runs users' SQL. Tag reads of the tag service take slots of
 * the same admission and read through the same block path. Thread-safe.
 */
final class QueryEngine implements AutoCloseable {

    private final Limits limits;
    private final Admission admission;
    private final SqlGuard guard;
    private final PlanCache plans;
    private final BlockPool buffers;
    private final RegistrySql sql;
    private final SqlRunner runner;
    private final QueryCounts counts = new QueryCounts();
    private final ResultCache results;

    /** An engine with the default admission (4 slots, 32 waiting for 2 s, long after 500 ms). */
    QueryEngine(Limits limits, ExecutorService parser, ScheduledExecutorService timer) {
        this(limits, Admission.defaults(limits.timeoutMillis()), parser, timer);
    }

    QueryEngine(Limits limits, Admission admission, ExecutorService parser, ScheduledExecutorService timer) {
        this(limits, admission, ResultCache.DEFAULT_BYTES, parser, timer);
    }

    /** @param cacheBytes the result cache's bound in bytes ({@link ResultCache}); 0 turns it off */
    QueryEngine(Limits limits, Admission admission, long cacheBytes, ExecutorService parser,
            ScheduledExecutorService timer) {
        this.limits = limits;
        this.results = new ResultCache(cacheBytes);
        this.admission = admission;
        this.guard = new SqlGuard(limits.maxSql(), parser);
        this.plans = new PlanCache(limits.planCache());
        this.buffers = new BlockPool(limits.maxBlock(), 256);
        this.sql = new RegistrySql(admission.slots(), admission.waitMillis());
        this.runner = new SqlRunner(sql, timer, admission);
    }

    /**
     * Retires the connections of registry versions that were retired (a newer one is served), and
     * drops the result cache (its entries are keyed by version too, so none of an older one is served).
     */
    void registryChanged() {
        results.clear();
        sql.retireStale();
    }

    /** @return the result cache, for its figures */
    ResultCache results() {
        return results;
    }

    /** @return how many registry versions have connections open (for tests) */
    int sqlVersions() {
        return sql.versions();
    }

    /** @return how many (registry version, read scope) connection pools are open (for tests) */
    int sqlScopes() {
        return sql.scopes();
    }

    /**
     * Takes a slot for a tag read: the tag service's reads share admission control with queries.
     *
     * @throws NexusException OVERLOADED as a query would be refused
     */
    Admission.Ticket admit() {
        return admission.admit();
    }

    /** Closes every registry connection (those in use as they come back). */
    @Override
    public void close() {
        sql.close();
    }

    Limits limits() {
        return limits;
    }

    Admission.Stats admission() {
        return admission.stats();
    }

    /** @return what the successful selects of this engine answered, whoever called them */
    QueryCounts counts() {
        return counts;
    }

    /** What SQLite returned: the columns, the rows' cells, and each row's tag position (-1: none). */
    record Rows(List<String> columns, List<Object[]> cells, int[] tagPositions, boolean truncated, boolean tagged) {
    }

    /** The fields a row that carries a tag gets besides its columns ({@link QueryResult.Row#tag()}). */
    static final List<String> LIVE_FIELDS = List.of("value", "quality", "ts");

    /**
     * The rows as every front-end shows them, an object by column name (a JSON row, an MCP tool
     * result, the console's table): two columns of one name are refused, naming the alias to use;
     * and when a column has the name of a live field ({@code value}, {@code quality}, {@code ts}: {@code tag_properties.value}, say)
     * the columns win and the rows carry no live values (nothing is read), where before the live
     * field silently shadowed the column.
     */
    private static Rows shown(Rows rows) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        boolean shadowed = false;
        for (String column : rows.columns()) {
            if (!seen.add(column)) {
                throw new NexusException(ErrorCode.QUERY_REJECTED, "two columns are named '" + column + "': name them"
                        + " apart with AS (e.g. a.name, b.name AS bank), so that each row can be read by column name");
            }
            shadowed |= LIVE_FIELDS.contains(column);
        }
        if (!rows.tagged() || !shadowed) {
            return rows;
        }
        int[] none = new int[rows.cells().size()];
        Arrays.fill(none, -1);
        return new Rows(rows.columns(), rows.cells(), none, rows.truncated(), false);
    }

    /** A select by a caller who sees everything (tests, benchmarks, the engine's own callers). */
    QueryResult select(Registry registry, RmaBackend backend, String sql, QueryOptions options) {
        return select(registry, backend, Access.UNRESTRICTED, sql, options);
    }

    /**
     * Runs the SELECT as a caller with this access: over the whole registry when it sees everything,
     * else over the part its read scope sees ({@link ScopeViews}); its row cap and time limit tighten
     * the engine's own.
     */
    QueryResult select(Registry registry, RmaBackend backend, Access access, String sql, QueryOptions options) {
        backend = registry.memory(backend); // the version's contributed banks live where their contributor keeps them
        long t0 = System.nanoTime();
        CallerBounds bounds = CallerBounds.select(access, options, limits);
        PathScope scope = bounds.scope();
        long version = registry.version();
        ResultCache.Key key = results.key(version, scope, bounds.rows(), sql, options.params());
        ResultCache.Entry hit = key == null ? null : results.get(key);
        if (hit != null) {
            // Admitted like the query it stands for: a burst of hits still queues and is refused
            // under overload, and a text just stopped as too long is refused as a repeat.
            try (Admission.Ticket ticket = admission.admit(admissionKey(sql, options.params(), scope))) {
                long t = System.nanoTime();
                return answer(registry, backend, hit.rows(), hit.plan(), true, hit, t0, t, t, t);
            }
        }
        List<Object> params = checked(bounds, sql, options);
        long t1 = System.nanoTime();
        Rows rows = shown(run(registry, bounds, sql, params));
        long t2 = System.nanoTime();

        int[] distinct = distinct(rows.tagPositions());
        BlockPlanner.Plan plan = plans.get(scope, sql, version, distinct);
        boolean cached = plan != null;
        if (plan == null) {
            plan = BlockPlanner.plan(registry.index(), version, distinct, limits.maxGap(), limits.maxBlock());
            plans.put(scope, sql, version, plan);
        }
        if (key != null) {
            results.put(key, rows, plan);
        }
        return answer(registry, backend, rows, plan, cached, null, t0, t1, t2, System.nanoTime());
    }

    /**
     * Reads and decodes the live values of these rows and counts the answer.
     *
     * @param hit the cache's entry the rows are from (its lists of the rows' cells, its rows' places in
     *            the plan), or null when the rows are this answer's own
     */
    private QueryResult answer(Registry registry, RmaBackend backend, Rows rows, BlockPlanner.Plan plan, boolean cached,
            ResultCache.Entry hit, long t0, long t1, long t2, long t3) {
        BlockRead[] blocks = take(plan.blocks);
        if (backend != null) {
            backend.read(blocks, plan.blocks.blocks());
        }
        long t4 = System.nanoTime();

        List<QueryResult.Row> result = decode(registry.index(), backend, rows, plan, blocks, hit);
        for (BlockRead block : blocks) {
            buffers.give(block);
        }
        long t5 = System.nanoTime();
        int tagged = 0;
        for (int p : rows.tagPositions()) {
            tagged += p >= 0 ? 1 : 0;
        }
        QueryStats stats = new QueryStats(result.size(), tagged, plan.blocks.banks(), plan.blocks.blocks(),
                plan.blocks.bytes(), plan.blocks.rangeBytes(),
                cached, t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4);
        counts.count(stats);
        return new QueryResult(rows.columns(), result, rows.truncated(), registry.version(), stats);
    }

    /** Reads the values at these allocations: planned, merged and decoded like a query's. */
    List<TagValue> read(RmaBackend backend, List<nexus.rma.Allocation> allocations) {
        if (allocations.size() == 1) {
            return List.of(read(backend, allocations.get(0)));
        }
        BlockPlan plan = BlockPlan.merge(allocations, limits.maxGap(), limits.maxBlock());
        BlockRead[] blocks = take(plan);
        if (backend != null) {
            backend.read(blocks, plan.blocks());
        }
        List<TagValue> values = new ArrayList<>(allocations.size());
        for (int i = 0; i < allocations.size(); i++) {
            BlockRead block = blocks[plan.blockOf(i)];
            if (backend == null) {
                values.add(new TagValue(null, Quality.BAD_NO_BACKEND, 0));
            } else if (block.hasData()) {
                values.add(new TagValue(ValueCodec.decode(block.buffer(), plan.offsetInBlock(i), allocations.get(i)),
                        Quality.of(block.status()), block.lastWriteNanos()));
            } else {
                values.add(new TagValue(null, Quality.of(block.status()), 0));
            }
        }
        for (BlockRead block : blocks) {
            buffers.give(block);
        }
        return values;
    }

    /** One value: one block, no plan to build. */
    private TagValue read(RmaBackend backend, nexus.rma.Allocation allocation) {
        if (backend == null) {
            return new TagValue(null, Quality.BAD_NO_BACKEND, 0);
        }
        BlockRead block = buffers.take(allocation.length()).target(allocation.bank(), allocation.byteOffset(), allocation.length());
        try {
            backend.read(block);
            return block.hasData()
                    ? new TagValue(ValueCodec.decode(block.buffer(), 0, allocation), Quality.of(block.status()),
                            block.lastWriteNanos())
                    : new TagValue(null, Quality.of(block.status()), 0);
        } finally {
            buffers.give(block);
        }
    }

    /** @return one pooled buffer per block of the plan, targeted; give them back after use */
    private BlockRead[] take(BlockPlan plan) {
        BlockRead[] blocks = new BlockRead[plan.blocks()];
        for (int b = 0; b < blocks.length; b++) {
            blocks[b] = buffers.take(plan.blockLength(b)).target(plan.blockBank(b), plan.blockOffset(b), plan.blockLength(b));
        }
        return blocks;
    }

    /**
     * The tags the rows of the SELECT carry, as a caller with this access runs it ({@link #select}'s
     * guard, scope, caps and admission); no value is read.
     */
    TagSelection selectTags(Registry registry, Access access, String sql, QueryOptions options) {
        CallerBounds bounds = CallerBounds.select(access, options, limits);
        Rows rows = run(registry, bounds, sql, checked(bounds, sql, options));
        if (!rows.tagged()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the answer of this query carries no tag: select the"
                    + " tag id (tags.id, or tag_id from tag_properties or alarms), e.g. SELECT id FROM tags WHERE …");
        }
        AllocationIndex index = registry.index();
        java.util.LinkedHashSet<Long> ids = new java.util.LinkedHashSet<>();
        for (int position : rows.tagPositions()) {
            if (position >= 0) {
                ids.add(index.id(position));
            }
        }
        List<String> paths = new ArrayList<>(ids.size());
        for (nexus.registry.Tag tag : registry.tags(ids.stream().mapToLong(Long::longValue).toArray())) {
            if (tag != null) {
                paths.add(tag.path());
            }
        }
        counts.count(new QueryStats(rows.cells().size(), ids.size(), 0, 0, 0, 0, false, 0, 0, 0, 0, 0));
        return new TagSelection(paths, rows.truncated(), registry.version());
    }

    /** An explain by a caller who sees everything. */
    ReadPlan explain(Registry registry, String sql, QueryOptions options) {
        return explain(registry, Access.UNRESTRICTED, sql, options);
    }

    /**
     * The plan of the reads the SELECT would do as a caller with this access: planned from the rows
     * it sees, so blocks, gaps and bytes are those of its own tags.
     */
    ReadPlan explain(Registry registry, Access access, String sql, QueryOptions options) {
        CallerBounds bounds = CallerBounds.explain(access, options, limits);
        Rows rows = shown(run(registry, bounds, sql, checked(bounds, sql, options)));
        int[] distinct = distinct(rows.tagPositions());
        BlockPlanner.Plan plan = BlockPlanner.plan(registry.index(), registry.version(), distinct, limits.maxGap(),
                limits.maxBlock());
        ReadPlan described = plan.describe(registry, limits.maxGap(), limits.maxBlock());
        // the key a select of the same text, options and caller would use
        CallerBounds select = CallerBounds.select(access, options, limits);
        ResultCache.Key key = results.key(registry.version(), select.scope(), select.rows(), sql, options.params());
        ReadPlan.CacheUse cache = ReadPlan.CacheUse.of(results.enabled(), key != null, key != null && results.contains(key),
                results.hits(), results.misses());
        return new ReadPlan(described.registryVersion(), described.tags(), described.banks(), described.maxGap(),
                described.maxBlock(), cache);
    }

    private List<QueryResult.Row> decode(AllocationIndex index, RmaBackend backend, Rows rows, BlockPlanner.Plan plan,
            BlockRead[] blocks, ResultCache.Entry hit) {
        // Rows name tags by position; the plan by its (distinct, sorted) position list.
        int[] planned = plan.positions;
        int[] slots = hit == null ? null : hit.slots();
        List<List<Object>> shown = hit == null ? null : hit.shown();
        List<QueryResult.Row> result = new ArrayList<>(rows.cells().size());
        for (int r = 0; r < rows.cells().size(); r++) {
            int position = rows.tagPositions()[r];
            TagValue value = null;
            if (position >= 0) {
                int i = slots != null ? slots[r] : Arrays.binarySearch(planned, position);
                BlockRead block = blocks[plan.blocks.blockOf(i)];
                if (backend == null) {
                    value = new TagValue(null, Quality.BAD_NO_BACKEND, 0);
                } else if (block.hasData()) {
                    value = new TagValue(ValueCodec.decode(block.buffer(), plan.blocks.offsetInBlock(i), index.type(position),
                            index.bitOffset(position), index.length(position)), Quality.of(block.status()),
                            block.lastWriteNanos());
                } else {
                    value = new TagValue(null, Quality.of(block.status()), 0);
                }
            }
            List<Object> cells = shown == null ? null : shown.get(r);
            if (cells == null) {
                // this answer's own rows as they are; of the cache's, a row with a blob gets copies of its blobs
                Object[] own = rows.cells().get(r);
                cells = Collections.unmodifiableList(Arrays.asList(shown == null ? own : unshared(own)));
            }
            result.add(new QueryResult.Row(cells, value));
        }
        return result;
    }

    /** @return these cells, with a copy of each blob (an array a caller could change) in place of the cache's own */
    private static Object[] unshared(Object[] cells) {
        Object[] copy = null;
        for (int c = 0; c < cells.length; c++) {
            if (cells[c] instanceof byte[] blob) {
                copy = copy == null ? cells.clone() : copy;
                copy[c] = blob.clone();
            }
        }
        return copy == null ? cells : copy;
    }

    /**
     * The guard's check of the SQL in the caller's scope, then its placeholder values as JDBC binds them.
     *
     * @return the values to bind
     */
    private List<Object> checked(CallerBounds bounds, String sql, QueryOptions options) {
        return Placeholders.bindable(guard.check(bounds.scope(), sql), options.params());
    }

    /** Runs the checked SQL within the caller's row cap and time limit, admitted like every query. */
    private Rows run(Registry registry, CallerBounds bounds, String sql, List<Object> params) {
        return run(registry, bounds.scope(), sql, params, bounds.rows(), bounds.timeoutMillis());
    }

    private Rows run(Registry registry, PathScope scope, String sql, List<Object> params, int limit, long timeoutMillis) {
        try (Admission.Ticket ticket = admission.admit(admissionKey(sql, params, scope))) {
            return runner.run(registry, scope, sql, params, limit, timeoutMillis, ticket);
        }
    }

    /** The key of a query admission remembers as stopped: the same text over another scope is another query. */
    private static String admissionKey(String sql, List<Object> params, PathScope scope) {
        String key = params == null || params.isEmpty() ? sql : sql + '\u0000' + params;
        return scope.isAll() ? key : key + '\u0000' + scope;
    }


    private static int[] distinct(int[] positions) {
        int[] sorted = Arrays.stream(positions).filter(p -> p >= 0).sorted().distinct().toArray();
        return sorted;
    }

}
