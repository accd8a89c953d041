package nexus.rma;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The value types of RMA. Every multi-byte value is little-endian and naturally aligned: its byte
 * offset is a multiple of its size.
 */
public enum RmaType {
    /** One bit: a byte offset plus a bit number 0–7 (bit 0 is the least significant). */
    BOOL(1, false, false),
    INT8(1, true, true),
    INT16(2, true, true),
    INT32(4, true, true),
    INT64(8, true, true),
    UINT8(1, true, false),
    UINT16(2, true, false),
    UINT32(4, true, false),
    /** IEEE 754 binary32. */
    FLOAT32(4, false, true),
    /** IEEE 754 binary64. */
    FLOAT64(8, false, true),
    /** n bytes of UTF-8, padded with NUL bytes; n comes from the allocation. */
    STRING(0, false, false);

    private final int size;
    private final boolean integer;
    private final boolean signed;

    RmaType(int size, boolean integer, boolean signed) {
        this.size = size;
        this.integer = integer;
        this.signed = signed;
    }

    /** @return the size in bytes; 0 for STRING, whose length comes from its allocation */
    public int size() {
        return size;
    }

    /** @return the required alignment of the byte offset: the size for numbers, 1 otherwise */
    public int alignment() {
        return this == BOOL || this == STRING ? 1 : size;
    }

    /** @return whether the type is one of the integer types */
    public boolean isInteger() {
        return integer;
    }

    /** @return whether the type is FLOAT32 or FLOAT64 */
    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** @return whether the type is signed (integers and floats) */
    public boolean isSigned() {
        return signed;
    }

    /** @return the smallest value of an integer type */
    public long minValue() {
        return signed ? -(1L << (size * 8 - 1)) : 0;
    }

    /** @return the largest value of an integer type */
    public long maxValue() {
        return switch (this) {
            case INT64 -> Long.MAX_VALUE;
            case UINT8, UINT16, UINT32 -> (1L << (size * 8)) - 1;
            default -> (1L << (size * 8 - 1)) - 1;
        };
    }

    /**
     * @param name a type name, case-insensitive ({@code int16}, {@code FLOAT32})
     * @return the type
     * @throws NexusException INVALID_ARGUMENT naming the valid types
     */
    public static RmaType parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "unknown type '" + name + "': use one of "
                    + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }
}
