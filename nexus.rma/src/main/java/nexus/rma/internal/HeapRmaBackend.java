package nexus.rma.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.StampedLock;

import nexus.rma.Bank;
import nexus.rma.BlockRead;

/**
 * RMA in the JVM's heap: one byte array per bank. Each bank has a {@link StampedLock}: readers copy
 * optimistically and validate (a seqlock), falling back to the read lock only when a write
 * overlapped; writers take the write lock. Reads allocate nothing.
 */
final class HeapRmaBackend extends BankedBackend {

    static final String NAME = "heap";

    private static final class HeapBank {
        final Bank bank;
        final byte[] data;
        final StampedLock lock = new StampedLock();
        long sequence;
        long lastWriteNanos;

        HeapBank(Bank bank) {
            this.bank = bank;
            this.data = new byte[bank.size()];
        }
    }

    private final HeapBank[] heap;

    HeapRmaBackend(List<Bank> banks) {
        super(NAME, banks);
        this.heap = banks.stream().map(HeapBank::new).toArray(HeapBank[]::new);
    }

    @Override
    public void read(BlockRead block) {
        if (!readable(block)) {
            return;
        }
        HeapBank b = heap[block.bank()];
        long stamp = b.lock.tryOptimisticRead();
        if (stamp != 0) {
            System.arraycopy(b.data, block.offset(), block.data(), 0, block.length());
            long sequence = b.sequence;
            long lastWrite = b.lastWriteNanos;
            if (b.lock.validate(stamp)) {
                block.complete(sequence, lastWrite);
                return;
            }
        }
        stamp = b.lock.readLock();
        try {
            System.arraycopy(b.data, block.offset(), block.data(), 0, block.length());
            block.complete(b.sequence, b.lastWriteNanos);
        } finally {
            b.lock.unlockRead(stamp);
        }
    }

    @Override
    public void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
        writable(bank, offset, length);
        HeapBank b = heap[bank];
        Objects.checkFromIndexSize(sourceOffset, length, source.length);
        long stamp = b.lock.writeLock();
        try {
            System.arraycopy(source, sourceOffset, b.data, offset, length);
            b.sequence++;
            b.lastWriteNanos = EpochNanos.now();
        } finally {
            b.lock.unlockWrite(stamp);
        }
    }

    @Override
    public void writeBit(int bank, int byteOffset, int bit, boolean value) {
        writableBit(bank, byteOffset, bit);
        HeapBank b = heap[bank];
        long stamp = b.lock.writeLock();
        try {
            int mask = 1 << bit;
            b.data[byteOffset] = (byte) (value ? b.data[byteOffset] | mask : b.data[byteOffset] & ~mask);
            b.sequence++;
            b.lastWriteNanos = EpochNanos.now();
        } finally {
            b.lock.unlockWrite(stamp);
        }
    }

    @Override
    public long sequence(int bank) {
        HeapBank b = heap[known(bank).id()];
        long stamp = b.lock.readLock();
        try {
            return b.sequence;
        } finally {
            b.lock.unlockRead(stamp);
        }
    }

    @Override
    public long lastWriteNanos(int bank) {
        HeapBank b = heap[known(bank).id()];
        long stamp = b.lock.readLock();
        try {
            return b.lastWriteNanos;
        } finally {
            b.lock.unlockRead(stamp);
        }
    }
}
