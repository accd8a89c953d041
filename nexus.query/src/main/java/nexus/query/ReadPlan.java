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
 */
public record ReadPlan(long registryVersion, int tags, List<BankReads> banks, int maxGap, int maxBlock) {

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
