package nexus.sparkplug.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;

/**
 * The memory of one remote edge node's mirror: one bank ({@code sp-<n>}, a name never used twice in a
 * JVM, so that a changed layout is always a new bank) holding the values of the node's birth layout
 * ({@link MirrorLayout}), served to the registry as a {@linkplain nexus.registry.Contribution
 * contributed} bank.
 *
 * <p>Copy-on-write: the bank is an immutable {@link Snapshot} in a volatile field. The host
 * application (one thread) builds each new snapshot from a copy of the current one: all values of one
 * NBIRTH or NDATA become one snapshot, one sequence step, stamped with the payload's timestamp — the
 * edge's time, not ours. A reader copies its range out of one snapshot, so it is always consistent and
 * never waits; when the snapshot is {@linkplain #markStale stale} the read is completed and marked
 * {@link ReadStatus#STALE}.
 *
 * <p>Outside writes ({@link #write(int, int, byte[], int, int)}, {@link #writeBit}) are refused with
 * {@code NOT_WRITABLE}: a mirrored tag is written by its node. Thread-safe.
 */
final class MirrorMemory implements RmaBackend {

    /**
     * The values of the bank at one moment. Never changed once published; {@code data} is not shared.
     *
     * @param invalid the bits (byte offset x 8 + bit) of values the node said it does not have (sent as
     *                {@code is_null}: BAD at the edge), or {@code null} when there are none: a read that
     *                covers one is STALE, never GOOD
     */
    record Snapshot(byte[] data, long sequence, long lastWriteNanos, boolean stale, BitSet invalid) {
    }

    private static final AtomicLong NEXT = new AtomicLong();

    private final Bank bank;
    private final List<Bank> banks;
    private volatile Snapshot current;
    /** The invalid values of the draft being built (host thread only), or {@code null} while there are none. */
    private BitSet draftInvalid;

    /**
     * @param layoutEnd the end of the node's layout in bytes; the bank is that rounded up to 8 (at
     *                  least 8). The memory starts zeroed and STALE: no values were received yet.
     */
    MirrorMemory(int layoutEnd) {
        int size = Math.max(8, (layoutEnd + 7) & ~7);
        this.bank = new Bank(0, "sp-" + NEXT.incrementAndGet(), size);
        this.banks = List.of(bank);
        this.current = new Snapshot(new byte[size], 0, 0, true, null);
    }

    /** @return the name of the one bank, as the contribution names it */
    String bankName() {
        return bank.name();
    }

    /** @return the size of the one bank in bytes */
    int size() {
        return bank.size();
    }

    /** @return the snapshot readers see now */
    Snapshot snapshot() {
        return current;
    }

    /**
     * @return a little-endian copy of the current values, for the host to change and {@link #publish};
     *         host thread only
     */
    ByteBuffer draft() {
        BitSet invalid = current.invalid();
        draftInvalid = invalid == null ? null : (BitSet) invalid.clone();
        byte[] data = current.data();
        return ByteBuffer.wrap(Arrays.copyOf(data, data.length)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Makes a draft the bank's values, current (not stale): one sequence step. Host thread only.
     *
     * @param draft          a buffer from {@link #draft()}; not used by the caller afterwards
     * @param lastWriteNanos when the values were taken at the edge, ns since the Unix epoch
     */
    void publish(ByteBuffer draft, long lastWriteNanos) {
        BitSet invalid = draftInvalid == null || draftInvalid.isEmpty() ? null : draftInvalid;
        draftInvalid = null;
        current = new Snapshot(draft.array(), current.sequence() + 1, lastWriteNanos, false, invalid);
    }

    /**
     * In the draft being built: whether the node has a value at this allocation ({@code false}: it sent
     * {@code is_null}, its tag is BAD at the edge). Host thread only, between {@link #draft()} and
     * {@link #publish}.
     */
    void valid(Allocation allocation, boolean valid) {
        int from = allocation.byteOffset() * 8 + (allocation.type() == RmaType.BOOL ? allocation.bitOffset() : 0);
        int to = allocation.type() == RmaType.BOOL ? from + 1 : allocation.end() * 8;
        if (valid) {
            if (draftInvalid != null) {
                draftInvalid.clear(from, to);
            }
        } else {
            if (draftInvalid == null) {
                draftInvalid = new BitSet();
            }
            draftInvalid.set(from, to);
        }
    }

    /**
     * The values are no longer current (the node died, lost a message, or the host lost its own
     * connection). The values stay readable, as STALE. A change of staleness is a sequence step so that
     * watchers that skip unchanged banks by their sequence see it. Host thread only.
     */
    void markStale() {
        Snapshot now = current;
        if (!now.stale()) {
            current = new Snapshot(now.data(), now.sequence() + 1, now.lastWriteNanos(), true, now.invalid());
        }
    }

    @Override
    public String name() {
        return "sparkplug";
    }

    @Override
    public List<Bank> banks() {
        return banks;
    }

    @Override
    public void read(BlockRead block) {
        if (block.bank() != 0) {
            block.fail(ReadStatus.UNKNOWN_BANK);
            return;
        }
        if (!bank.contains(block.offset(), block.length())) {
            block.fail(ReadStatus.OUT_OF_RANGE);
            return;
        }
        Snapshot s = current;
        System.arraycopy(s.data(), block.offset(), block.data(), 0, block.length());
        block.complete(s.sequence(), s.lastWriteNanos());
        if (s.stale() || covers(s.invalid(), block.offset(), block.length())) {
            block.markStale();
        }
    }

    @Override
    public void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
        throw notWritable(bank);
    }

    @Override
    public void writeBit(int bank, int byteOffset, int bit, boolean value) {
        throw notWritable(bank);
    }

    @Override
    public long sequence(int bank) {
        known(bank);
        return current.sequence();
    }

    @Override
    public long lastWriteNanos(int bank) {
        known(bank);
        return current.lastWriteNanos();
    }

    /** @return whether an invalid value lies in the byte range */
    private static boolean covers(BitSet invalid, int offset, int length) {
        if (invalid == null) {
            return false;
        }
        int first = invalid.nextSetBit(offset * 8);
        return first >= 0 && first < (offset + length) * 8;
    }

    private void known(int id) {
        if (id != 0) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the mirror '" + bank.name() + "' has only bank 0, not "
                    + id);
        }
    }

    private NexusException notWritable(int id) {
        return new NexusException(ErrorCode.NOT_WRITABLE, "bank '" + (id == 0 ? bank.name() : String.valueOf(id))
                + "' mirrors a remote Sparkplug edge node: a mirrored tag is written by its node, not here");
    }
}
