package nexus.query.internal;

import java.util.ArrayList;
import java.util.List;

import nexus.query.Quality;
import nexus.registry.Tag;
import nexus.rma.Allocation;
import nexus.rma.BlockPlan;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;
import nexus.rma.ValueCodec;

/**
 * Reads a page of tags in the read planner's merged blocks ({@link BlockPlan}, the query engine's
 * merge rule), one consistent read per block, and answers each tag's value with its block's stamp:
 * the bank, the bank's write sequence the read saw and its last write time. Tags answered with the
 * same bank and sequence come from one state of the bank. Snapshots read this way because a
 * {@link nexus.query.TagValue} carries no sequence. Not thread-safe; a page's buffers are its own.
 */
final class StampedReads {

    /** One tag read. {@code value} is null when the quality has no value. */
    record Stamped(Tag tag, Object value, Quality quality, int bank, long sequence, long writeNanos) {
    }

    private StampedReads() {
    }

    /**
     * @param backend the version's memory ({@link nexus.registry.Registry#memory}); null without one
     * @param tags    the page, distinct tags
     * @return one reading per tag, in order
     */
    static List<Stamped> read(RmaBackend backend, List<Tag> tags, Limits limits) {
        List<Stamped> read = new ArrayList<>(tags.size());
        if (tags.isEmpty()) {
            return read;
        }
        if (backend == null) {
            for (Tag tag : tags) {
                read.add(new Stamped(tag, null, Quality.BAD_NO_BACKEND, tag.allocation().bank(), 0, 0));
            }
            return read;
        }
        List<Allocation> allocations = new ArrayList<>(tags.size());
        for (Tag tag : tags) {
            allocations.add(tag.allocation());
        }
        BlockPlan plan = BlockPlan.merge(allocations, limits.maxGap(), limits.maxBlock());
        BlockRead[] blocks = new BlockRead[plan.blocks()];
        for (int b = 0; b < blocks.length; b++) {
            blocks[b] = new BlockRead(plan.blockLength(b)).target(plan.blockBank(b), plan.blockOffset(b), plan.blockLength(b));
        }
        backend.read(blocks, blocks.length);
        for (int i = 0; i < tags.size(); i++) {
            BlockRead block = blocks[plan.blockOf(i)];
            Tag tag = tags.get(i);
            Object value = block.hasData() ? ValueCodec.decode(block.buffer(), plan.offsetInBlock(i), tag.allocation()) : null;
            read.add(new Stamped(tag, value, Quality.of(block.status()), block.bank(), block.sequence(), block.lastWriteNanos()));
        }
        return read;
    }
}
