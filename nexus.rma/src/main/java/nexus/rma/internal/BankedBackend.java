package nexus.rma.internal;

import java.util.List;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;

/** What the built-in backends share: a fixed bank layout, argument checks, closing. */
abstract class BankedBackend implements RmaBackend {

    private final String name;
    private final List<Bank> banks;
    /** The bank sizes by id, for the read path's bounds check. */
    protected final int[] sizes;
    private volatile boolean closed;

    BankedBackend(String name, List<Bank> banks) {
        this.name = name;
        this.banks = List.copyOf(banks);
        this.sizes = banks.stream().mapToInt(Bank::size).toArray();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<Bank> banks() {
        return banks;
    }

    /** Makes every later call fail: reads with UNAVAILABLE, writes with BACKEND_UNAVAILABLE. */
    void close() {
        closed = true;
    }

    /** @return whether {@link #close()} was called */
    protected final boolean closed() {
        return closed;
    }

    /** @return whether the block's range can be read; if not, the block carries the reason */
    protected final boolean readable(BlockRead block) {
        if (closed) {
            block.fail(ReadStatus.UNAVAILABLE);
            return false;
        }
        int id = block.bank();
        if (id >= sizes.length) {
            block.fail(ReadStatus.UNKNOWN_BANK);
            return false;
        }
        if (block.offset() > sizes[id] - block.length()) {
            block.fail(ReadStatus.OUT_OF_RANGE);
            return false;
        }
        return true;
    }

    /** @return the bank a write may go to, its range checked */
    protected final Bank writable(int bank, int offset, int length) {
        if (closed) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the " + name + " backend is being replaced: try again");
        }
        Bank b = known(bank);
        b.checkRange(offset, length);
        return b;
    }

    /** @return the bank a bit write may go to, its byte and bit checked */
    protected final Bank writableBit(int bank, int byteOffset, int bit) {
        Bank b = writable(bank, byteOffset, 1);
        if (bit < 0 || bit > 7) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "bit " + bit + " is not a bit number 0 to 7");
        }
        return b;
    }

    protected final Bank known(int bank) {
        if (bank < 0 || bank >= banks.size()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "backend '" + name + "' has no bank " + bank
                    + " (banks: " + BankLayout.format(banks) + ")");
        }
        return banks.get(bank);
    }
}
