package nexus.registry.internal;

import java.util.List;
import java.util.Objects;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Contribution.ContributedBank;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;

/**
 * The memory of a registry version with contributed banks: the file's banks (ids below
 * {@code firstContributed}) in the node's backend, each contributed bank in the memory its
 * contributor keeps, at its {@code memoryBank}. A read of a contributed bank is retargeted to that
 * bank, read there, and retargeted back to the version's bank id with the snapshot's status,
 * sequence and write time, so callers see one backend with the version's banks. Thread-safe as its
 * parts are; reads allocate nothing.
 */
final class LayeredMemory implements RmaBackend {

    private final RmaBackend local;
    private final List<Bank> banks;
    private final int firstContributed;
    private final ContributedBank[] contributed;

    /**
     * @param banks            the version's banks, in id order
     * @param firstContributed the id of the first contributed bank
     * @param contributed      the contributed banks, by id from {@code firstContributed}
     */
    LayeredMemory(RmaBackend local, List<Bank> banks, int firstContributed, List<ContributedBank> contributed) {
        this.local = Objects.requireNonNull(local, "local");
        this.banks = List.copyOf(banks);
        this.firstContributed = firstContributed;
        this.contributed = contributed.toArray(ContributedBank[]::new);
    }

    /** @return the node's backend this view reads the file's banks from */
    RmaBackend local() {
        return local;
    }

    @Override
    public String name() {
        return local.name();
    }

    @Override
    public List<Bank> banks() {
        return banks;
    }

    @Override
    public void read(BlockRead block) {
        int bank = block.bank();
        if (bank < firstContributed) {
            local.read(block);
            return;
        }
        ContributedBank held = held(bank);
        if (held == null) {
            block.fail(ReadStatus.UNKNOWN_BANK);
            return;
        }
        int offset = block.offset();
        int length = block.length();
        if (offset > held.size() - length) {
            block.fail(ReadStatus.OUT_OF_RANGE);
            return;
        }
        held.memory().read(block.target(held.memoryBank(), offset, length));
        ReadStatus status = block.status();
        long sequence = block.sequence();
        long written = block.lastWriteNanos();
        block.target(bank, offset, length); // resets the status; the bytes read stay in the buffer
        switch (status) {
            case OK -> block.complete(sequence, written);
            case STALE -> {
                block.complete(sequence, written);
                block.markStale();
            }
            // a memory that answered nothing for the block cannot be reached as far as the caller knows
            case NOT_READ -> block.fail(ReadStatus.UNAVAILABLE);
            default -> block.fail(status);
        }
    }

    @Override
    public void read(BlockRead[] blocks, int count) {
        for (int i = 0; i < count; i++) {
            if (blocks[i].bank() >= firstContributed) {
                for (int j = 0; j < count; j++) {
                    read(blocks[j]);
                }
                return;
            }
        }
        local.read(blocks, count); // the backend's own batch, when every block is the file's
    }

    @Override
    public void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
        if (bank < firstContributed) {
            local.write(bank, offset, source, sourceOffset, length);
            return;
        }
        ContributedBank held = writable(bank, offset, length);
        held.memory().write(held.memoryBank(), offset, source, sourceOffset, length);
    }

    @Override
    public void writeBit(int bank, int byteOffset, int bit, boolean value) {
        if (bank < firstContributed) {
            local.writeBit(bank, byteOffset, bit, value);
            return;
        }
        ContributedBank held = writable(bank, byteOffset, 1);
        held.memory().writeBit(held.memoryBank(), byteOffset, bit, value);
    }

    @Override
    public long sequence(int bank) {
        if (bank < firstContributed) {
            return local.sequence(bank);
        }
        ContributedBank held = known(bank);
        return held.memory().sequence(held.memoryBank());
    }

    @Override
    public long lastWriteNanos(int bank) {
        if (bank < firstContributed) {
            return local.lastWriteNanos(bank);
        }
        ContributedBank held = known(bank);
        return held.memory().lastWriteNanos(held.memoryBank());
    }

    private ContributedBank held(int bank) {
        int index = bank - firstContributed;
        return index >= 0 && index < contributed.length ? contributed[index] : null;
    }

    private ContributedBank known(int bank) {
        ContributedBank held = held(bank);
        if (held == null) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "registry version memory has no bank " + bank
                    + ": its banks are 0.." + (banks.size() - 1));
        }
        return held;
    }

    /** The version's bounds, not the memory's: a contributed bank may be smaller than the bank holding it. */
    private ContributedBank writable(int bank, int offset, int length) {
        ContributedBank held = known(bank);
        banks.get(bank).checkRange(offset, length);
        return held;
    }
}
