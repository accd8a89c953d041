package nexus.query.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import nexus.rma.BlockRead;

/**
 * Reusable read buffers of the maximum block size, so that a query allocates no read buffers once
 * warm. A block longer than that (one tag larger than the block limit) gets a buffer of its own.
 */
final class BlockPool {

    private final int capacity;
    private final BlockingQueue<BlockRead> free;

    BlockPool(int capacity, int keep) {
        this.capacity = capacity;
        this.free = new ArrayBlockingQueue<>(Math.max(1, keep));
    }

    BlockRead take(int length) {
        if (length > capacity) {
            return new BlockRead(length);
        }
        BlockRead block = free.poll();
        return block != null ? block : new BlockRead(capacity);
    }

    void give(BlockRead block) {
        if (block.capacity() == capacity) {
            free.offer(block);
        }
    }
}
