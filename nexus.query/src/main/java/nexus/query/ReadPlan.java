package nexus.query;

import java.util.List;

/**
 * The RMA reads a query needs: per bank, merged blocks sorted by offset.
 *
 * @param registryVersion the registry version the plan belongs to
 * @param tags            the tags the plan covers
 * @param banks           the banks read, in id order
 * @param maxGap          the merge rule: the largest gap merged over, in bytes
 * @param maxBlock        the merge rule: the longest block, in bytes (a longer single tag is one block)
 * @param cache           what the result cache knows of the query (2.6); {@code null} when the plan was made
 *                        without an engine
 */
public record ReadPlan(long registryVersion, int tags, List<BankReads> banks, int maxGap, int maxBlock, CacheUse cache) {

    /** A plan that says nothing of the result cache. */
    public ReadPlan(long registryVersion, int tags, List<BankReads> banks, int maxGap, int maxBlock) {
        this(registryVersion, tags, banks, maxGap, maxBlock, null);
    }

    /**
     * The result cache and one query (2.6).
     *
     * @param enabled   whether the engine keeps a result cache ({@code cache.bytes} above 0)
     * @param cacheable whether this query's answer may be kept: the cache is on and the query reads no clock
     *                  (docs/query.md, "The result cache")
     * @param cached    whether its answer is kept now, for the registry version the plan belongs to and this
     *                  caller's scope, row cap and parameters: a select of it would skip the guard, SQLite and
     *                  planning
     * @param hits      the cache's hits since the engine started, every caller's
     * @param misses    its misses
     * @param hitRate   hits over hits and misses, 0 before the first lookup
     */
    public record CacheUse(boolean enabled, boolean cacheable, boolean cached, long hits, long misses, double hitRate) {

        /** @return the use, its hit rate computed from the counts */
        public static CacheUse of(boolean enabled, boolean cacheable, boolean cached, long hits, long misses) {
            long lookups = hits + misses;
            return new CacheUse(enabled, cacheable, cached, hits, misses, lookups == 0 ? 0 : (double) hits / lookups);
        }
    }

    /**
     * The reads of one bank.
     *
     * @param source what the bank mirrors when a registry contribution holds it (e.g.
     *               {@code sparkplug plant/edge1}, {@link nexus.registry.Registry#bankSource}); {@code null}
     *               for the node's own banks (2.2)
     */
    public record BankReads(int bank, String name, List<Block> blocks, String source) {

        /** The reads of one of the node's own banks. */
        public BankReads(int bank, String name, List<Block> blocks) {
            this(bank, name, blocks, null);
        }
    }

    /** One read: {@code length} bytes from {@code offset}, covering {@code tags} tags. */
    public record Block(int offset, int length, int tags) {
        public int end() {
            return offset + length;
        }
    }

    public ReadPlan {
        banks = List.copyOf(banks);
    }

    /** @return the number of block reads */
    public int blocks() {
        return banks.stream().mapToInt(b -> b.blocks().size()).sum();
    }

    /** @return the bytes the plan reads */
    public long bytes() {
        return banks.stream().flatMap(b -> b.blocks().stream()).mapToLong(Block::length).sum();
    }
}
