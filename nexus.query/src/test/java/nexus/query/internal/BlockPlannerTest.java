package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import nexus.registry.AllocationIndex;
import nexus.rma.Allocation;
import nexus.rma.RmaType;

/** Properties of every plan, over random layouts (nested and overlapping tags included). */
class BlockPlannerTest {

    private static final RmaType[] TYPES = { RmaType.BOOL, RmaType.INT8, RmaType.INT16, RmaType.INT32, RmaType.INT64,
        RmaType.FLOAT32, RmaType.FLOAT64, RmaType.STRING };

    private static AllocationIndex randomIndex(SplittableRandom random, int tags, int banks, int bankSize) {
        AllocationIndex.Builder builder = AllocationIndex.builder(tags);
        for (int id = 1; id <= tags; id++) {
            RmaType type = TYPES[random.nextInt(TYPES.length)];
            int bank = random.nextInt(banks);
            Allocation allocation;
            if (type == RmaType.BOOL) {
                allocation = Allocation.bool(bank, random.nextInt(bankSize), random.nextInt(8));
            } else if (type == RmaType.STRING) {
                allocation = Allocation.string(bank, random.nextInt(bankSize - 64), 1 + random.nextInt(random.nextInt(10) == 0 ? 9000 : 64));
            } else {
                allocation = Allocation.of(bank, random.nextInt(bankSize / type.size() - 1) * type.size(), type);
            }
            builder.add(id * 3L, allocation);
        }
        return builder.build();
    }

    @RepeatedTest(200)
    void everyPlanCoversEachTagOnceWithinTheMergeRule(RepetitionInfo repetition) {
        SplittableRandom random = new SplittableRandom(repetition.getCurrentRepetition());
        int tags = 1 + random.nextInt(300);
        AllocationIndex index = randomIndex(random, tags, 1 + random.nextInt(3), 64 + random.nextInt(20_000));
        int maxGap = random.nextInt(5) == 0 ? 0 : random.nextInt(256);
        int maxBlock = 8 + random.nextInt(8192);
        int[] positions = random.ints(random.nextInt(1, tags + 1), 0, tags).sorted().distinct().toArray();

        BlockPlanner.Plan plan = BlockPlanner.plan(index, 1, positions, maxGap, maxBlock);

        long tagBytes = 0;
        List<List<int[]>> ranges = new ArrayList<>();
        for (int b = 0; b < plan.blocks; b++) {
            ranges.add(new ArrayList<>());
        }
        for (int i = 0; i < positions.length; i++) {
            int p = positions[i];
            int block = plan.tagBlock[i];
            int start = plan.blockOffset[block] + plan.tagOffset[i];
            assertThat(plan.blockBank[block]).as("the tag's bank").isEqualTo(index.bank(p));
            assertThat(start).as("the tag's offset inside its block").isEqualTo(index.byteOffset(p));
            assertThat(index.end(p)).as("the tag ends inside its block").isLessThanOrEqualTo(plan.blockOffset[block] + plan.blockLength[block]);
            ranges.get(block).add(new int[] { index.byteOffset(p), index.end(p) });
            tagBytes += index.length(p);
        }
        assertThat(plan.tagBytes).isEqualTo(tagBytes);
        assertThat(Arrays.stream(plan.blockTags, 0, plan.blocks).sum()).as("each tag in exactly one block").isEqualTo(positions.length);
        for (int b = 0; b < plan.blocks; b++) {
            List<int[]> inBlock = ranges.get(b);
            assertThat(inBlock).as("no empty block").isNotEmpty();
            assertThat(plan.blockOffset[b]).as("a block starts at its first tag")
                    .isEqualTo(inBlock.stream().mapToInt(r -> r[0]).min().orElseThrow());
            assertThat(plan.blockOffset[b] + plan.blockLength[b]).as("a block ends at its last byte needed")
                    .isEqualTo(inBlock.stream().mapToInt(r -> r[1]).max().orElseThrow());
            inBlock.sort((x, y) -> Integer.compare(x[0], y[0]));
            int covered = inBlock.get(0)[1];
            for (int[] r : inBlock.subList(1, inBlock.size())) {
                assertThat(r[0] - covered).as("no gap inside a block is larger than the merge rule allows").isLessThanOrEqualTo(maxGap);
                if (r[0] >= covered) {
                    assertThat(Math.max(covered, r[1]) - plan.blockOffset[b]).as("a join across a gap keeps the block"
                            + " within the limit (only tags sharing bytes may stretch it)").isLessThanOrEqualTo(maxBlock);
                }
                covered = Math.max(covered, r[1]);
            }
            if (b > 0 && plan.blockBank[b] == plan.blockBank[b - 1]) {
                assertThat(plan.blockOffset[b]).as("blocks of a bank do not overlap")
                        .isGreaterThanOrEqualTo(plan.blockOffset[b - 1] + plan.blockLength[b - 1]);
            }
        }
        TreeSet<Integer> banks = new TreeSet<>();
        for (int b = 0; b < plan.blocks; b++) {
            banks.add(plan.blockBank[b]);
        }
        assertThat(plan.banks()).isEqualTo(banks.size());
    }

    @Test
    void aTagInsideThePreviousOneNeverShrinksTheBlock() {
        AllocationIndex index = AllocationIndex.builder(3)
                .add(1, Allocation.string(0, 0, 32))
                .add(2, Allocation.of(0, 4, RmaType.INT32))
                .add(3, Allocation.of(0, 40, RmaType.INT32))
                .build();

        BlockPlanner.Plan plan = BlockPlanner.plan(index, 1, new int[] { 0, 1, 2 }, 8, 1_000);

        assertThat(plan.blocks).isEqualTo(1);
        assertThat(plan.blockLength[0]).isEqualTo(44);
        assertThat(plan.bytes()).isEqualTo(44);
    }

    @Test
    void gapsAndTheBlockLimitSplitBlocks() {
        AllocationIndex index = AllocationIndex.builder(4)
                .add(1, Allocation.of(0, 0, RmaType.INT32))
                .add(2, Allocation.of(0, 8, RmaType.INT32))
                .add(3, Allocation.of(0, 100, RmaType.INT32))
                .add(4, Allocation.of(1, 0, RmaType.INT32))
                .build();

        BlockPlanner.Plan plan = BlockPlanner.plan(index, 1, new int[] { 0, 1, 2, 3 }, 4, 1_000);

        assertThat(plan.blocks).isEqualTo(3);
        assertThat(Arrays.copyOf(plan.blockOffset, 3)).containsExactly(0, 100, 0);
        assertThat(Arrays.copyOf(plan.blockLength, 3)).containsExactly(12, 4, 4);
        assertThat(BlockPlanner.plan(index, 1, new int[] { 0, 1 }, 4, 8).blocks).as("block limit").isEqualTo(2);
    }
}
