package nexus.rma;

import java.util.Objects;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * Where one value lives: a bank, a byte offset, a bit (BOOL only) and a type. Creating an
 * allocation checks what can be checked without the bank: non-negative offsets, a bit 0–7 for BOOL,
 * natural alignment for numbers, a positive STRING length. Whether it fits its bank is checked
 * against the bank ({@link #checkFits(Bank)}).
 *
 * @param bank       the bank id
 * @param byteOffset the offset of the value's first byte in the bank
 * @param bitOffset  the bit number 0–7 for BOOL, 0 for every other type
 * @param type       the type
 * @param length     the number of bytes the value occupies: 1 for BOOL, the type's size for
 *                   numbers, n for STRING(n)
 */
public record Allocation(int bank, int byteOffset, int bitOffset, RmaType type, int length) {

    public Allocation {
        Objects.requireNonNull(type, "type");
        if (bank < 0) {
            throw invalid("bank id " + bank + " is negative");
        }
        if (byteOffset < 0) {
            throw invalid("byte offset " + byteOffset + " is negative");
        }
        switch (type) {
            case BOOL -> {
                if (bitOffset < 0 || bitOffset > 7) {
                    throw invalid("BOOL at bank " + bank + " byte " + byteOffset + " has bit " + bitOffset
                            + ": a bit number is 0 to 7");
                }
                if (length != 1) {
                    throw invalid("BOOL occupies 1 byte, not " + length);
                }
            }
            case STRING -> {
                if (length < 1) {
                    throw invalid("STRING at bank " + bank + " byte " + byteOffset + " has length " + length
                            + ": a STRING holds at least 1 byte");
                }
                requireNoBit(bank, byteOffset, bitOffset, type);
            }
            default -> {
                requireNoBit(bank, byteOffset, bitOffset, type);
                if (length != type.size()) {
                    throw invalid(type + " occupies " + type.size() + " bytes, not " + length);
                }
                if (byteOffset % type.alignment() != 0) {
                    throw invalid(type + " at bank " + bank + " byte " + byteOffset + " is misaligned: " + type
                            + " needs a byte offset that is a multiple of " + type.alignment());
                }
            }
        }
    }

    /** @return a numeric allocation (for BOOL: bit 0) */
    public static Allocation of(int bank, int byteOffset, RmaType type) {
        if (type == RmaType.STRING) {
            throw invalid("a STRING allocation needs a length: use Allocation.string");
        }
        return new Allocation(bank, byteOffset, 0, type, type == RmaType.BOOL ? 1 : type.size());
    }

    /** @return a BOOL allocation */
    public static Allocation bool(int bank, int byteOffset, int bit) {
        return new Allocation(bank, byteOffset, bit, RmaType.BOOL, 1);
    }

    /** @return a STRING(n) allocation */
    public static Allocation string(int bank, int byteOffset, int length) {
        return new Allocation(bank, byteOffset, 0, RmaType.STRING, length);
    }

    /** @return the offset just past the value's last byte */
    public int end() {
        return byteOffset + length;
    }

    /**
     * @param bank the allocation's bank
     * @throws NexusException INVALID_ARGUMENT when the allocation is not in that bank or runs past
     *                        its end
     */
    public void checkFits(Bank bank) {
        if (bank.id() != this.bank) {
            throw invalid(this + " is not in bank '" + bank.name() + "' (id " + bank.id() + ")");
        }
        if (!bank.contains(byteOffset, length)) {
            throw invalid(this + " ends at byte " + ((long) byteOffset + length) + ", past the end of bank '"
                    + bank.name() + "' (" + bank.size() + " bytes)");
        }
    }

    /** @return the allocation as an operator reads it: {@code INT32 at bank 0 byte 8} */
    @Override
    public String toString() {
        return switch (type) {
            case BOOL -> "BOOL at bank " + bank + " byte " + byteOffset + " bit " + bitOffset;
            case STRING -> "STRING(" + length + ") at bank " + bank + " byte " + byteOffset;
            default -> type + " at bank " + bank + " byte " + byteOffset;
        };
    }

    private static void requireNoBit(int bank, int byteOffset, int bitOffset, RmaType type) {
        if (bitOffset != 0) {
            throw invalid(type + " at bank " + bank + " byte " + byteOffset + " has bit " + bitOffset
                    + ": only BOOL has a bit number");
        }
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
