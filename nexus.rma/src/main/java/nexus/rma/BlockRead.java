package nexus.rma;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One range of one bank to read, and the buffer it is read into: a reusable, caller-owned object so
 * that a read allocates nothing. Target it ({@link #target}), hand it to
 * {@link RmaBackend#read(BlockRead)}, then check {@link #status()} and decode from
 * {@link #buffer()} (index 0 is the range's first byte).
 *
 * <p>Not thread-safe: one reader owns it at a time. The backend fills it through
 * {@link #data()}, {@link #complete} and {@link #fail}.
 */
public final class BlockRead {

    private final byte[] data;
    private final ByteBuffer buffer;
    private int bank;
    private int offset;
    private int length;
    private long sequence;
    private long lastWriteNanos;
    private ReadStatus status = ReadStatus.NOT_READ;

    /** @param capacity the largest range this object can hold, in bytes */
    public BlockRead(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is negative");
        }
        this.data = new byte[capacity];
        this.buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Points this object at a range and forgets the previous result.
     *
     * @return this
     * @throws IllegalArgumentException if the range is negative or longer than the capacity
     */
    public BlockRead target(int bank, int offset, int length) {
        if (bank < 0 || offset < 0 || length < 0 || length > data.length) {
            throw new IllegalArgumentException("cannot target bank " + bank + " bytes " + offset + "+" + length
                    + " with a capacity of " + data.length);
        }
        this.bank = bank;
        this.offset = offset;
        this.length = length;
        this.status = ReadStatus.NOT_READ;
        this.sequence = 0;
        this.lastWriteNanos = 0;
        return this;
    }

    public int bank() {
        return bank;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public int capacity() {
        return data.length;
    }

    /** @return the backing array: bytes 0..length-1 hold the range after a successful read */
    public byte[] data() {
        return data;
    }

    /** @return a little-endian view of {@link #data()}; use absolute indexes */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** @return the outcome of the last read */
    public ReadStatus status() {
        return status;
    }

    /** @return whether the last read produced a consistent snapshot */
    public boolean ok() {
        return status == ReadStatus.OK;
    }

    /**
     * @return whether the buffer holds the range: the status is {@link ReadStatus#OK} or
     *         {@link ReadStatus#STALE}
     * @since 2.1
     */
    public boolean hasData() {
        return status == ReadStatus.OK || status == ReadStatus.STALE;
    }

    /** @return the bank's write sequence the snapshot belongs to (completed writes since creation) */
    public long sequence() {
        return sequence;
    }

    /** @return the bank's last write time, in nanoseconds since the Unix epoch; 0 if never written */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** For backends: the range now holds a consistent snapshot. */
    public void complete(long sequence, long lastWriteNanos) {
        this.sequence = sequence;
        this.lastWriteNanos = lastWriteNanos;
        this.status = ReadStatus.OK;
    }

    /**
     * For backends: the snapshot just {@linkplain #complete completed} holds values that are no longer
     * current ({@link ReadStatus#STALE}).
     *
     * @throws IllegalStateException unless the block was completed
     * @since 2.1
     */
    public void markStale() {
        if (status != ReadStatus.OK && status != ReadStatus.STALE) {
            throw new IllegalStateException("only a completed read can be stale, not one that is " + status);
        }
        this.status = ReadStatus.STALE;
    }

    /** For backends: the range could not be read. */
    public void fail(ReadStatus status) {
        if (status == ReadStatus.OK || status == ReadStatus.NOT_READ || status == ReadStatus.STALE) {
            throw new IllegalArgumentException("fail needs a failure status, not " + status);
        }
        this.status = status;
    }
}
