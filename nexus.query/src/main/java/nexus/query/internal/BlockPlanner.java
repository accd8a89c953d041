package nexus.query.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import nexus.query.ReadPlan;
import nexus.registry.AllocationIndex;
import nexus.rma.Bank;

/**
 * Turns the tags a query needs into as few, as large reads as the merge rule allows: tags grouped by
 * bank and sorted by offset; a tag joins the current block while the gap before it is at most
 * {@code maxGap} bytes and the block stays within {@code maxBlock} bytes; a tag that shares bytes with
 * the block (BOOLs in one byte) always joins it, so blocks never overlap; the block's end is always
 * the larger of its end and the tag's, so a tag inside the previous one never shrinks a block.
 */
final class BlockPlanner {

    /** The planned reads, in columns; for each requested tag, its block and its offset in it. */
    static final class Plan {
        final long version;
        final int[] positions;
        final int[] blockBank;
        final int[] blockOffset;
        final int[] blockLength;
        final int[] blockTags;
        final int blocks;
        /** Per entry of {@link #positions}: the block that holds it and where in the block it starts. */
        final int[] tagBlock;
        final int[] tagOffset;
        final long tagBytes;

        Plan(long version, int[] positions, int[] blockBank, int[] blockOffset, int[] blockLength, int[] blockTags,
                int blocks, int[] tagBlock, int[] tagOffset, long tagBytes) {
            this.version = version;
            this.positions = positions;
            this.blockBank = blockBank;
            this.blockOffset = blockOffset;
            this.blockLength = blockLength;
            this.blockTags = blockTags;
            this.blocks = blocks;
            this.tagBlock = tagBlock;
            this.tagOffset = tagOffset;
            this.tagBytes = tagBytes;
        }

        long bytes() {
            long total = 0;
            for (int b = 0; b < blocks; b++) {
                total += blockLength[b];
            }
            return total;
        }

        int banks() {
            int count = 0;
            for (int b = 0; b < blocks; b++) {
                if (b == 0 || blockBank[b] != blockBank[b - 1]) {
                    count++;
                }
            }
            return count;
        }

        ReadPlan describe(List<Bank> banks, int maxGap, int maxBlock) {
            List<ReadPlan.BankReads> reads = new ArrayList<>();
            List<ReadPlan.Block> current = null;
            for (int b = 0; b < blocks; b++) {
                if (b == 0 || blockBank[b] != blockBank[b - 1]) {
                    current = new ArrayList<>();
                    int id = blockBank[b];
                    reads.add(new ReadPlan.BankReads(id, id < banks.size() ? banks.get(id).name() : "bank " + id, current));
                }
                current.add(new ReadPlan.Block(blockOffset[b], blockLength[b], blockTags[b]));
            }
            return new ReadPlan(version, positions.length, reads, maxGap, maxBlock);
        }
    }

    /** The most tags one plan can hold (the sort key keeps 20 bits for the tag). */
    static final int MAX_TAGS = 1 << 20;

    private BlockPlanner() {
    }

    /**
     * @param positions the tags' positions in the index, each at most once
     */
    static Plan plan(AllocationIndex index, long version, int[] positions, int maxGap, int maxBlock) {
        int n = positions.length;
        if (n > MAX_TAGS) {
            throw new IllegalArgumentException(n + " tags are more than one plan holds (" + MAX_TAGS + ")");
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int p = positions[i];
            keys[i] = ((long) index.bank(p) << 51) | ((long) index.byteOffset(p) << 20) | i;
        }
        Arrays.sort(keys);
        int[] blockBank = new int[Math.max(1, n)];
        int[] blockOffset = new int[Math.max(1, n)];
        int[] blockLength = new int[Math.max(1, n)];
        int[] blockTags = new int[Math.max(1, n)];
        int[] tagBlock = new int[n];
        int[] tagOffset = new int[n];
        int blocks = 0;
        long tagBytes = 0;
        int start = 0;
        int end = 0;
        int bank = -1;
        for (long key : keys) {
            int i = (int) (key & (MAX_TAGS - 1));
            int p = positions[i];
            int tagBank = index.bank(p);
            int tagStart = index.byteOffset(p);
            int tagEnd = index.end(p);
            tagBytes += tagEnd - tagStart;
            // A tag that shares bytes with the block (BOOLs of one byte) always joins it; another
            // joins while the gap and the block length stay within the rule.
            boolean joins = blocks > 0 && tagBank == bank
                    && (tagStart < end || tagStart - end <= maxGap && Math.max(end, tagEnd) - start <= maxBlock);
            if (!joins) {
                if (blocks > 0) {
                    blockLength[blocks - 1] = end - start;
                }
                bank = tagBank;
                start = tagStart;
                end = tagEnd;
                blockBank[blocks] = bank;
                blockOffset[blocks] = start;
                blocks++;
            } else {
                end = Math.max(end, tagEnd);
            }
            blockTags[blocks - 1]++;
            tagBlock[i] = blocks - 1;
            tagOffset[i] = tagStart - start;
        }
        if (blocks > 0) {
            blockLength[blocks - 1] = end - start;
        }
        return new Plan(version, positions, blockBank, blockOffset, blockLength, blockTags, blocks, tagBlock, tagOffset,
                tagBytes);
    }
}
