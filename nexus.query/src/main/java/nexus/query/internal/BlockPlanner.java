package nexus.query.internal;

import java.util.ArrayList;
import java.util.List;

import nexus.query.ReadPlan;
import nexus.registry.AllocationIndex;
import nexus.registry.Registry;
import nexus.rma.Bank;
import nexus.rma.BlockPlan;

/**
 * Plans a query's reads: the tags it found, by their positions in the registry's allocation index,
 * merged into blocks by {@link BlockPlan} (the merge rule is documented there and in docs/query.md).
 */
final class BlockPlanner {

    /** A query's plan: the registry version, the tags' positions and the merged blocks. */
    static final class Plan {
        final long version;
        final int[] positions;
        final BlockPlan blocks;

        Plan(long version, int[] positions, BlockPlan blocks) {
            this.version = version;
            this.positions = positions;
            this.blocks = blocks;
        }

        ReadPlan describe(Registry registry, int maxGap, int maxBlock) {
            List<Bank> banks = registry.banks();
            List<ReadPlan.BankReads> reads = new ArrayList<>();
            List<ReadPlan.Block> current = null;
            for (int b = 0; b < blocks.blocks(); b++) {
                int id = blocks.blockBank(b);
                if (b == 0 || id != blocks.blockBank(b - 1)) {
                    current = new ArrayList<>();
                    reads.add(new ReadPlan.BankReads(id, name(banks, id), current, registry.bankSource(id).orElse(null)));
                }
                current.add(new ReadPlan.Block(blocks.blockOffset(b), blocks.blockLength(b), blocks.blockRanges(b)));
            }
            return new ReadPlan(version, positions.length, reads, maxGap, maxBlock);
        }

        /** @return the name of the bank with this id (banks are listed by id, with gaps allowed) */
        private static String name(List<Bank> banks, int id) {
            if (id < banks.size() && banks.get(id).id() == id) {
                return banks.get(id).name();
            }
            return banks.stream().filter(b -> b.id() == id).map(Bank::name).findFirst().orElse("bank " + id);
        }
    }

    private BlockPlanner() {
    }

    /**
     * @param positions the tags' positions in the index, each at most once
     */
    static Plan plan(AllocationIndex index, long version, int[] positions, int maxGap, int maxBlock) {
        BlockPlan blocks = BlockPlan.merge(new BlockPlan.Ranges() {
            @Override
            public int count() {
                return positions.length;
            }

            @Override
            public int bank(int i) {
                return index.bank(positions[i]);
            }

            @Override
            public int start(int i) {
                return index.byteOffset(positions[i]);
            }

            @Override
            public int end(int i) {
                return index.end(positions[i]);
            }
        }, maxGap, maxBlock);
        return new Plan(version, positions, blocks);
    }
}
