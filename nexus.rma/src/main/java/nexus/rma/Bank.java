package nexus.rma;

import java.util.Objects;
import java.util.regex.Pattern;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * A named, fixed-size byte region of RMA.
 *
 * @param id   the bank's id, from 0: its position in the backend's layout
 * @param name a short name: lower-case letters, digits, '_' and '-', 1 to 63 characters
 * @param size the size in bytes, at least 1
 */
public record Bank(int id, String name, int size) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,63}");

    public Bank {
        Objects.requireNonNull(name, "name");
        if (id < 0) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "bank id " + id + " is negative");
        }
        if (!NAME.matcher(name).matches()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "bank name '" + name
                    + "' is not valid: use 1 to 63 lower-case letters, digits, '_' or '-'");
        }
        if (size < 1) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "bank '" + name + "' has size " + size
                    + ": a bank holds at least 1 byte");
        }
    }

    /** @return whether {@code length} bytes from {@code offset} lie inside the bank */
    public boolean contains(int offset, int length) {
        return offset >= 0 && length >= 0 && offset <= size - length;
    }

    /**
     * @throws NexusException INVALID_ARGUMENT unless {@code length} bytes from {@code offset} lie
     *                        inside the bank
     */
    public void checkRange(int offset, int length) {
        if (!contains(offset, length)) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "bytes " + offset + ".." + ((long) offset + length)
                    + " are outside bank '" + name + "' (" + size + " bytes: offsets 0.." + size + ")");
        }
    }
}
