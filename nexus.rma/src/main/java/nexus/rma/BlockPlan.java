package nexus.rma;

import java.util.Arrays;
import java.util.List;

/**
 * The fewest, largest reads that cover a set of byte ranges: ranges grouped by bank and sorted by
 * offset; a range joins the current block while the gap before it is at most {@code maxGap} bytes
 * and the block stays within {@code maxBlock} bytes; a range that shares bytes with the block (BOOLs
 * of one byte, a value inside a STRING) always joins it, so the blocks of a bank never overlap; a
 * block's end is always the larger of its end and the range's, so a range inside the previous one
 * never shrinks a block. A single range longer than {@code maxBlock} is one block of its own.
 *
 * <p>Plan once, read many times: {@link #newReads()} gives one targeted {@link BlockRead} per block,
 * {@link RmaBackend#read(BlockRead[], int)} fills them, and range {@code i} is then found in block
 * {@link #blockOf(int)} at {@link #offsetInBlock(int)}. Immutable and thread-safe.
 */
public final class BlockPlan {

    /** Range {@code i} (0 ≤ i &lt; {@link #count()}) covers bytes [start, end) of a bank. */
    public interface Ranges {
        int count();

        int bank(int i);

        int start(int i);

        int end(int i);
    }

    /** The most ranges one plan holds (the sort key keeps 20 bits for the range). */
    public static final int MAX_RANGES = 1 << 20;

    private static final BlockPlan EMPTY = new BlockPlan(new int[0], new int[0], new int[0], new int[0], 0, new int[0],
            new int[0], 0);

    private final int[] blockBank;
    private final int[] blockOffset;
    private final int[] blockLength;
    private final int[] blockRanges;
    private final int blocks;
    private final int[] rangeBlock;
    private final int[] rangeOffset;
    private final long rangeBytes;

    private BlockPlan(int[] blockBank, int[] blockOffset, int[] blockLength, int[] blockRanges, int blocks,
            int[] rangeBlock, int[] rangeOffset, long rangeBytes) {
        this.blockBank = blockBank;
        this.blockOffset = blockOffset;
        this.blockLength = blockLength;
        this.blockRanges = blockRanges;
        this.blocks = blocks;
        this.rangeBlock = rangeBlock;
        this.rangeOffset = rangeOffset;
        this.rangeBytes = rangeBytes;
    }

    /**
     * @param maxGap   the largest gap, in bytes, a block reads over to take in the next range (≥ 0)
     * @param maxBlock the longest block, in bytes (≥ 1)
     * @throws IllegalArgumentException for a negative rule, more than {@link #MAX_RANGES} ranges, or a
     *                                  range that is negative, empty or ends before it starts
     */
    public static BlockPlan merge(Ranges ranges, int maxGap, int maxBlock) {
        if (maxGap < 0 || maxBlock < 1) {
            throw new IllegalArgumentException("merge rule gap " + maxGap + " block " + maxBlock
                    + ": the gap is 0 or more and a block at least 1 byte");
        }
        int n = ranges.count();
        if (n > MAX_RANGES) {
            throw new IllegalArgumentException(n + " ranges are more than one plan holds (" + MAX_RANGES + ")");
        }
        if (n == 0) {
            return EMPTY;
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bank = ranges.bank(i);
            int start = ranges.start(i);
            if (bank < 0 || bank >= 1 << 13 || start < 0 || ranges.end(i) <= start) {
                throw new IllegalArgumentException("range " + i + " (bank " + bank + " bytes " + start + " to "
                        + ranges.end(i) + ") is not a range of a bank");
            }
            keys[i] = ((long) bank << 51) | ((long) start << 20) | i;
        }
        Arrays.sort(keys);
        int[] blockBank = new int[n];
        int[] blockOffset = new int[n];
        int[] blockLength = new int[n];
        int[] blockRanges = new int[n];
        int[] rangeBlock = new int[n];
        int[] rangeOffset = new int[n];
        int blocks = 0;
        long rangeBytes = 0;
        int start = 0;
        int end = 0;
        int bank = -1;
        for (long key : keys) {
            int i = (int) (key & (MAX_RANGES - 1));
            int rangeBank = ranges.bank(i);
            int rangeStart = ranges.start(i);
            int rangeEnd = ranges.end(i);
            rangeBytes += rangeEnd - rangeStart;
            boolean joins = blocks > 0 && rangeBank == bank
                    && (rangeStart < end || rangeStart - end <= maxGap && Math.max(end, rangeEnd) - start <= maxBlock);
            if (!joins) {
                if (blocks > 0) {
                    blockLength[blocks - 1] = end - start;
                }
                bank = rangeBank;
                start = rangeStart;
                end = rangeEnd;
                blockBank[blocks] = bank;
                blockOffset[blocks] = start;
                blocks++;
            } else {
                end = Math.max(end, rangeEnd);
            }
            blockRanges[blocks - 1]++;
            rangeBlock[i] = blocks - 1;
            rangeOffset[i] = rangeStart - start;
        }
        blockLength[blocks - 1] = end - start;
        return new BlockPlan(Arrays.copyOf(blockBank, blocks), Arrays.copyOf(blockOffset, blocks),
                Arrays.copyOf(blockLength, blocks), Arrays.copyOf(blockRanges, blocks), blocks, rangeBlock, rangeOffset,
                rangeBytes);
    }

    /** @return the plan covering these allocations; range {@code i} is {@code allocations.get(i)} */
    public static BlockPlan merge(List<Allocation> allocations, int maxGap, int maxBlock) {
        return merge(new Ranges() {
            @Override
            public int count() {
                return allocations.size();
            }

            @Override
            public int bank(int i) {
                return allocations.get(i).bank();
            }

            @Override
            public int start(int i) {
                return allocations.get(i).byteOffset();
            }

            @Override
            public int end(int i) {
                return allocations.get(i).end();
            }
        }, maxGap, maxBlock);
    }

    /** @return the number of ranges planned */
    public int count() {
        return rangeBlock.length;
    }

    /** @return the number of block reads */
    public int blocks() {
        return blocks;
    }

    /** @return the bank of a block; blocks are in bank order, then offset order */
    public int blockBank(int block) {
        return blockBank[block];
    }

    public int blockOffset(int block) {
        return blockOffset[block];
    }

    public int blockLength(int block) {
        return blockLength[block];
    }

    /** @return how many ranges a block covers */
    public int blockRanges(int block) {
        return blockRanges[block];
    }

    /** @return the block that holds range {@code i} */
    public int blockOf(int i) {
        return rangeBlock[i];
    }

    /** @return where range {@code i} starts inside its block */
    public int offsetInBlock(int i) {
        return rangeOffset[i];
    }

    /** @return the bytes the plan reads */
    public long bytes() {
        long total = 0;
        for (int b = 0; b < blocks; b++) {
            total += blockLength[b];
        }
        return total;
    }

    /** @return the bytes of the ranges themselves (bytes shared by ranges counted for each) */
    public long rangeBytes() {
        return rangeBytes;
    }

    /** @return the number of banks the plan reads */
    public int banks() {
        int count = 0;
        for (int b = 0; b < blocks; b++) {
            if (b == 0 || blockBank[b] != blockBank[b - 1]) {
                count++;
            }
        }
        return count;
    }

    /** @return the longest block, in bytes (0 for an empty plan) */
    public int longestBlock() {
        int longest = 0;
        for (int b = 0; b < blocks; b++) {
            longest = Math.max(longest, blockLength[b]);
        }
        return longest;
    }

    /** @return one {@link BlockRead} per block, each sized and targeted for its block */
    public BlockRead[] newReads() {
        BlockRead[] reads = new BlockRead[blocks];
        for (int b = 0; b < blocks; b++) {
            reads[b] = new BlockRead(blockLength[b]).target(blockBank[b], blockOffset[b], blockLength[b]);
        }
        return reads;
    }
}
