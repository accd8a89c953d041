package nexus.rma;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * Holds the banks of RMA. Registered as an OSGi service with the property
 * {@value #BACKEND_PROPERTY} naming the implementation ({@code heap}, {@code mmap}, or an
 * integrator's own); consumers use the highest-ranked one and answer {@code BACKEND_UNAVAILABLE}
 * while there is none.
 *
 * <p>Thread-safe. Reads never block on I/O and allocate nothing; a read is a consistent snapshot of
 * its range, never torn by a concurrent writer. A write of a range is atomic for readers; a bit write
 * changes only its bit. Banks never change size or order while a backend lives: a different layout
 * is a different backend.
 */
@ConsumerType
public interface RmaBackend {

    /** The service property naming the implementation. */
    String BACKEND_PROPERTY = "nexus.rma.backend";

    /** @return the implementation's name, as in {@value #BACKEND_PROPERTY} */
    String name();

    /** @return the banks, in id order (bank {@code i} has id {@code i}); fixed for the backend's life */
    List<Bank> banks();

    /** @return the bank with this id, if there is one */
    default Optional<Bank> bank(int id) {
        List<Bank> banks = banks();
        return id >= 0 && id < banks.size() ? Optional.of(banks.get(id)) : Optional.empty();
    }

    /** @return the bank with this name, if there is one */
    default Optional<Bank> bank(String name) {
        return banks().stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /**
     * Copies the targeted range into the block's buffer as one consistent snapshot and records the
     * bank's sequence and last-write time, or a failure status. Never throws for a bad range.
     */
    void read(BlockRead block);

    /** Reads {@code count} blocks, each as by {@link #read(BlockRead)}. */
    default void read(BlockRead[] blocks, int count) {
        for (int i = 0; i < count; i++) {
            read(blocks[i]);
        }
    }

    /**
     * Writes {@code length} bytes into a bank, atomically for readers.
     *
     * @throws NexusException INVALID_ARGUMENT for an unknown bank or a range outside it (nothing is
     *                        written); BACKEND_UNAVAILABLE when the backend is closed or
     *                        can no longer reach its memory (the message says why)
     */
    void write(int bank, int offset, byte[] source, int sourceOffset, int length);

    /**
     * Sets or clears one bit atomically, leaving the other bits of its byte as they are.
     *
     * @throws NexusException INVALID_ARGUMENT for an unknown bank, an offset outside it or a bit
     *                        outside 0–7; BACKEND_UNAVAILABLE when the backend is closed or
     *                        can no longer reach its memory (the message says why)
     */
    void writeBit(int bank, int byteOffset, int bit, boolean value);

    /**
     * @return the number of completed writes to the bank since the backend was created (for the
     *         shared-memory backend: since the file was created); equal numbers mean equal contents
     * @throws NexusException INVALID_ARGUMENT for an unknown bank; BACKEND_UNAVAILABLE when the backend
     *                        can no longer reach its memory
     */
    long sequence(int bank);

    /**
     * @return the bank's last write time in nanoseconds since the Unix epoch, 0 if never written
     * @throws NexusException INVALID_ARGUMENT for an unknown bank; BACKEND_UNAVAILABLE when the backend
     *                        can no longer reach its memory
     */
    long lastWriteNanos(int bank);

    /**
     * Encodes a value at an allocation and writes it: a bit write for BOOL, a range write otherwise.
     *
     * @throws NexusException INVALID_ARGUMENT naming the allocation and the limit when the bank is
     *                        unknown, the allocation does not fit the bank or the value does not fit
     *                        the type; memory is then unchanged
     */
    default void write(Allocation allocation, Object value) {
        Bank bank = bank(allocation.bank()).orElseThrow(() -> new NexusException(ErrorCode.INVALID_ARGUMENT,
                "cannot write " + allocation + ": backend '" + name() + "' has no bank " + allocation.bank()));
        allocation.checkFits(bank);
        if (allocation.type() == RmaType.BOOL) {
            boolean bit = ValueCodec.toBool(allocation, value);
            writeBit(allocation.bank(), allocation.byteOffset(), allocation.bitOffset(), bit);
        } else {
            byte[] bytes = ValueCodec.encode(allocation, value);
            write(allocation.bank(), allocation.byteOffset(), bytes, 0, bytes.length);
        }
    }
}
