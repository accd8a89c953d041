package nexus.rma.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.StampedLock;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;

/**
 * RMA in the JVM's heap: one byte array per bank. Each bank has a {@link StampedLock}: readers copy
 * optimistically and validate (a seqlock), falling back to the read lock only when a write
 * overlapped; writers take the write lock. Reads allocate nothing.
 */
final class HeapRmaBackend implements RmaBackend {

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

    private final List<Bank> banks;
    private final HeapBank[] heap;
    private volatile boolean closed;

    HeapRmaBackend(List<Bank> banks) {
        this.banks = List.copyOf(banks);
        this.heap = banks.stream().map(HeapBank::new).toArray(HeapBank[]::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Bank> banks() {
        return banks;
    }

    @Override
    public void read(BlockRead block) {
        if (closed) {
            block.fail(ReadStatus.UNAVAILABLE);
            return;
        }
        int id = block.bank();
        if (id >= heap.length) {
            block.fail(ReadStatus.UNKNOWN_BANK);
            return;
        }
        HeapBank b = heap[id];
        if (!b.bank.contains(block.offset(), block.length())) {
            block.fail(ReadStatus.OUT_OF_RANGE);
            return;
        }
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
        HeapBank b = writable(bank);
        b.bank.checkRange(offset, length);
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
        HeapBank b = writable(bank);
        b.bank.checkRange(byteOffset, 1);
        if (bit < 0 || bit > 7) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "bit " + bit + " is not a bit number 0 to 7");
        }
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
        HeapBank b = known(bank);
        long stamp = b.lock.readLock();
        try {
            return b.sequence;
        } finally {
            b.lock.unlockRead(stamp);
        }
    }

    @Override
    public long lastWriteNanos(int bank) {
        HeapBank b = known(bank);
        long stamp = b.lock.readLock();
        try {
            return b.lastWriteNanos;
        } finally {
            b.lock.unlockRead(stamp);
        }
    }

    /** Makes every later call fail: reads with UNAVAILABLE, writes with BACKEND_UNAVAILABLE. */
    void close() {
        closed = true;
    }

    private HeapBank writable(int bank) {
        if (closed) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the heap backend is being replaced: try again");
        }
        return known(bank);
    }

    private HeapBank known(int bank) {
        if (bank < 0 || bank >= heap.length) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "backend '" + NAME + "' has no bank " + bank
                    + " (banks: " + BankLayout.format(banks) + ")");
        }
        return heap[bank];
    }
}
