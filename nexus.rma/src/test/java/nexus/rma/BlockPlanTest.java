package nexus.rma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;


/** Properties of every plan, over random layouts (nested and overlapping tags included). */
class BlockPlanTest {

    private static final RmaType[] TYPES = { RmaType.BOOL, RmaType.INT8, RmaType.INT16, RmaType.INT32, RmaType.INT64,
        RmaType.FLOAT32, RmaType.FLOAT64, RmaType.STRING };

    private static List<Allocation> randomAllocations(SplittableRandom random, int tags, int banks, int bankSize) {
        List<Allocation> allocations = new ArrayList<>();
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
            allocations.add(allocation);
        }
        return allocations;
    }

    @RepeatedTest(200)
    void everyPlanCoversEachTagOnceWithinTheMergeRule(RepetitionInfo repetition) {
        SplittableRandom random = new SplittableRandom(repetition.getCurrentRepetition());
        int tags = 1 + random.nextInt(300);
        List<Allocation> all = randomAllocations(random, tags, 1 + random.nextInt(3), 64 + random.nextInt(20_000));
        int maxGap = random.nextInt(5) == 0 ? 0 : random.nextInt(256);
        int maxBlock = 8 + random.nextInt(8192);
        int[] positions = random.ints(random.nextInt(1, tags + 1), 0, tags).sorted().distinct().toArray();
        List<Allocation> wanted = Arrays.stream(positions).mapToObj(all::get).toList();

        BlockPlan plan = BlockPlan.merge(wanted, maxGap, maxBlock);

        long tagBytes = 0;
        List<List<int[]>> ranges = new ArrayList<>();
        for (int b = 0; b < plan.blocks(); b++) {
            ranges.add(new ArrayList<>());
        }
        for (int i = 0; i < wanted.size(); i++) {
            Allocation tag = wanted.get(i);
            int block = plan.blockOf(i);
            int start = plan.blockOffset(block) + plan.offsetInBlock(i);
            assertThat(plan.blockBank(block)).as("the tag's bank").isEqualTo(tag.bank());
            assertThat(start).as("the tag's offset inside its block").isEqualTo(tag.byteOffset());
            assertThat(tag.end()).as("the tag ends inside its block").isLessThanOrEqualTo(plan.blockOffset(block) + plan.blockLength(block));
            ranges.get(block).add(new int[] { tag.byteOffset(), tag.end() });
            tagBytes += tag.length();
        }
        assertThat(plan.rangeBytes()).isEqualTo(tagBytes);
        int inBlocks = 0;
        for (int b = 0; b < plan.blocks(); b++) {
            inBlocks += plan.blockRanges(b);
        }
        assertThat(inBlocks).as("each tag in exactly one block").isEqualTo(wanted.size());
        for (int b = 0; b < plan.blocks(); b++) {
            List<int[]> inBlock = ranges.get(b);
            assertThat(inBlock).as("no empty block").isNotEmpty();
            assertThat(plan.blockOffset(b)).as("a block starts at its first tag")
                    .isEqualTo(inBlock.stream().mapToInt(r -> r[0]).min().orElseThrow());
            assertThat(plan.blockOffset(b) + plan.blockLength(b)).as("a block ends at its last byte needed")
                    .isEqualTo(inBlock.stream().mapToInt(r -> r[1]).max().orElseThrow());
            inBlock.sort((x, y) -> Integer.compare(x[0], y[0]));
            int covered = inBlock.get(0)[1];
            for (int[] r : inBlock.subList(1, inBlock.size())) {
                assertThat(r[0] - covered).as("no gap inside a block is larger than the merge rule allows").isLessThanOrEqualTo(maxGap);
                if (r[0] >= covered) {
                    assertThat(Math.max(covered, r[1]) - plan.blockOffset(b)).as("a join across a gap keeps the block"
                            + " within the limit (only tags sharing bytes may stretch it)").isLessThanOrEqualTo(maxBlock);
                }
                covered = Math.max(covered, r[1]);
            }
            if (b > 0 && plan.blockBank(b) == plan.blockBank(b - 1)) {
                assertThat(plan.blockOffset(b)).as("blocks of a bank do not overlap")
                        .isGreaterThanOrEqualTo(plan.blockOffset(b - 1) + plan.blockLength(b - 1));
            }
        }
        TreeSet<Integer> banks = new TreeSet<>();
        for (int b = 0; b < plan.blocks(); b++) {
            banks.add(plan.blockBank(b));
        }
        assertThat(plan.banks()).isEqualTo(banks.size());
    }

    @Test
    void aTagInsideThePreviousOneNeverShrinksTheBlock() {
        List<Allocation> tags = List.of(Allocation.string(0, 0, 32), Allocation.of(0, 4, RmaType.INT32),
                Allocation.of(0, 40, RmaType.INT32));

        BlockPlan plan = BlockPlan.merge(tags, 8, 1_000);

        assertThat(plan.blocks()).isEqualTo(1);
        assertThat(plan.blockLength(0)).isEqualTo(44);
        assertThat(plan.bytes()).isEqualTo(44);
    }

    @Test
    void gapsAndTheBlockLimitSplitBlocks() {
        List<Allocation> tags = List.of(Allocation.of(1, 0, RmaType.INT32), Allocation.of(0, 100, RmaType.INT32),
                Allocation.of(0, 0, RmaType.INT32), Allocation.of(0, 8, RmaType.INT32));

        BlockPlan plan = BlockPlan.merge(tags, 4, 1_000);

        assertThat(plan.blocks()).isEqualTo(3);
        assertThat(List.of(plan.blockOffset(0), plan.blockOffset(1), plan.blockOffset(2))).containsExactly(0, 100, 0);
        assertThat(List.of(plan.blockLength(0), plan.blockLength(1), plan.blockLength(2))).containsExactly(12, 4, 4);
        assertThat(plan.blockOf(0)).as("bank 1 comes last").isEqualTo(2);
        assertThat(plan.banks()).isEqualTo(2);
        assertThat(BlockPlan.merge(tags.subList(2, 4), 4, 8).blocks()).as("block limit").isEqualTo(2);
    }

    @Test
    void readsAreSizedAndTargetedPerBlock() {
        BlockPlan plan = BlockPlan.merge(List.of(Allocation.of(0, 16, RmaType.INT64), Allocation.bool(2, 3, 5)), 0, 64);

        BlockRead[] reads = plan.newReads();

        assertThat(reads).hasSize(2);
        assertThat(List.of(reads[0].bank(), reads[0].offset(), reads[0].length())).containsExactly(0, 16, 8);
        assertThat(List.of(reads[1].bank(), reads[1].offset(), reads[1].length(), reads[1].capacity())).containsExactly(2, 3, 1, 1);
        assertThat(BlockPlan.merge(List.of(), 0, 64).newReads()).isEmpty();
    }

    @Test
    void aBadRuleOrRangeIsRefused() {
        assertThatThrownBy(() -> BlockPlan.merge(List.of(), -1, 64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gap -1");
        assertThatThrownBy(() -> BlockPlan.merge(List.of(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
