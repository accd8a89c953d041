package nexus.query.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;

/** An RMA backend that hands every call to another one and counts reads per bank and writes. */
class CountingBackend implements RmaBackend {

    final RmaBackend memory;
    final Map<Integer, AtomicInteger> reads = new ConcurrentHashMap<>();
    final AtomicInteger writes = new AtomicInteger();

    CountingBackend(RmaBackend memory) {
        this.memory = memory;
    }

    int reads(int bank) {
        AtomicInteger count = reads.get(bank);
        return count == null ? 0 : count.get();
    }

    @Override
    public String name() {
        return "counting-" + memory.name();
    }

    @Override
    public List<Bank> banks() {
        return memory.banks();
    }

    @Override
    public void read(BlockRead block) {
        reads.computeIfAbsent(block.bank(), b -> new AtomicInteger()).incrementAndGet();
        memory.read(block);
    }

    @Override
    public void read(BlockRead[] blocks, int count) {
        for (int i = 0; i < count; i++) {
            read(blocks[i]);
        }
    }

    @Override
    public void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
        writes.incrementAndGet();
        memory.write(bank, offset, source, sourceOffset, length);
    }

    @Override
    public void writeBit(int bank, int byteOffset, int bit, boolean value) {
        writes.incrementAndGet();
        memory.writeBit(bank, byteOffset, bit, value);
    }

    @Override
    public long sequence(int bank) {
        return memory.sequence(bank);
    }

    @Override
    public long lastWriteNanos(int bank) {
        return memory.lastWriteNanos(bank);
    }
}
