package nexus.query.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import nexus.core.PathScope;

/**
 * Read plans by read scope, SQL text and registry version, least recently used first out. A cached
 * plan is used only if the query found exactly the same tags (a query with a time function may
 * not); the scope is part of the key all the same, so callers with different scopes never share or
 * evict each other's entry for one text.
 */
final class PlanCache {

    private record Key(PathScope scope, String sql, long version) {
    }

    private final Map<Key, BlockPlanner.Plan> plans;

    PlanCache(int capacity) {
        this.plans = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, BlockPlanner.Plan> eldest) {
                return size() > capacity;
            }
        };
    }

    /** @return the cached plan for these tags, or null */
    synchronized BlockPlanner.Plan get(PathScope scope, String sql, long version, int[] positions) {
        BlockPlanner.Plan plan = plans.get(new Key(scope, normalise(sql), version));
        return plan != null && Arrays.equals(plan.positions, positions) ? plan : null;
    }

    synchronized void put(PathScope scope, String sql, long version, BlockPlanner.Plan plan) {
        plans.put(new Key(scope, normalise(sql), version), plan);
    }

    synchronized int size() {
        return plans.size();
    }

    /** White space folded and trimmed: the same query typed twice is one entry. */
    static String normalise(String sql) {
        return sql.strip().replaceAll("\\s+", " ");
    }
}
