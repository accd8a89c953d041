package nexus.rma.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.Bank;

/**
 * The byte format of the shared-memory file, version 1 (specified in docs/rma-format.md). All
 * integers are little-endian.
 *
 * <pre>
 * header (64 bytes)            bank table entry (128 bytes, one per bank, from byte 64)
 *   0  magic "RMANEXUS"           0  u64 sequence (seqlock: odd while a write is in progress)
 *   8  u32 version = 1            8  i64 last write, ns since the Unix epoch (0 = never)
 *  12  u32 header size = 64      16  u64 data offset (from the start of the file; multiple of 64)
 *  16  u32 bank count            24  u32 size in bytes
 *  20  u32 entry size = 128      28  u32 reserved (0)
 *  24  u64 file size             32  name: 64 bytes of UTF-8, NUL-padded
 *  32  reserved (0) to 64        96  reserved (0) to 128
 * data area: each bank's bytes at its data offset, banks in id order
 * </pre>
 */
final class MappedFormat {

    static final byte[] MAGIC = "RMANEXUS".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_SIZE = 64;
    static final int ENTRY_SIZE = 128;
    static final int NAME_SIZE = 64;
    static final int ALIGN = 64;

    static final int H_MAGIC = 0;
    static final int H_VERSION = 8;
    static final int H_HEADER_SIZE = 12;
    static final int H_BANK_COUNT = 16;
    static final int H_ENTRY_SIZE = 20;
    static final int H_FILE_SIZE = 24;

    static final int E_SEQUENCE = 0;
    static final int E_LAST_WRITE = 8;
    static final int E_DATA_OFFSET = 16;
    static final int E_SIZE = 24;
    static final int E_NAME = 32;

    private MappedFormat() {
    }

    static int entry(int bank) {
        return HEADER_SIZE + bank * ENTRY_SIZE;
    }

    static long align(long offset) {
        return (offset + ALIGN - 1) / ALIGN * ALIGN;
    }

    /** @return the data offset of each bank, then the file size, for a layout */
    static long[] plan(List<Bank> banks) {
        long[] offsets = new long[banks.size() + 1];
        long next = align(HEADER_SIZE + (long) banks.size() * ENTRY_SIZE);
        for (int i = 0; i < banks.size(); i++) {
            offsets[i] = next;
            next = align(next + banks.get(i).size());
        }
        offsets[banks.size()] = next;
        return offsets;
    }

    /** Writes the header and bank table of a new file into {@code buffer} (zeroed, file-sized). */
    static void format(ByteBuffer buffer, List<Bank> banks) {
        ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long[] plan = plan(banks);
        b.put(H_MAGIC, MAGIC);
        b.putInt(H_VERSION, VERSION);
        b.putInt(H_HEADER_SIZE, HEADER_SIZE);
        b.putInt(H_BANK_COUNT, banks.size());
        b.putInt(H_ENTRY_SIZE, ENTRY_SIZE);
        b.putLong(H_FILE_SIZE, plan[banks.size()]);
        for (Bank bank : banks) {
            int e = entry(bank.id());
            b.putLong(e + E_DATA_OFFSET, plan[bank.id()]);
            b.putInt(e + E_SIZE, bank.size());
            b.put(e + E_NAME, bank.name().getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Checks that a mapped file is an RMA Nexus memory file of this version holding exactly the
     * expected layout.
     *
     * @return the data offset of each bank
     * @throws NexusException INVALID_ARGUMENT saying what was found and what was expected
     */
    static long[] verify(ByteBuffer buffer, long fileSize, List<Bank> expected, String file) {
        ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (fileSize < HEADER_SIZE) {
            throw refuse(file, "it is " + fileSize + " bytes, too short for the " + HEADER_SIZE + "-byte header");
        }
        byte[] magic = new byte[MAGIC.length];
        b.get(H_MAGIC, magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw refuse(file, "found magic " + HexFormat.of().formatHex(magic) + ", expected "
                    + HexFormat.of().formatHex(MAGIC) + " (\"RMANEXUS\"): it is not an RMA Nexus memory file");
        }
        int version = b.getInt(H_VERSION);
        if (version != VERSION) {
            throw refuse(file, "found format version " + version + ", expected " + VERSION);
        }
        if (b.getInt(H_HEADER_SIZE) != HEADER_SIZE || b.getInt(H_ENTRY_SIZE) != ENTRY_SIZE) {
            throw refuse(file, "found header size " + b.getInt(H_HEADER_SIZE) + " and entry size "
                    + b.getInt(H_ENTRY_SIZE) + ", expected " + HEADER_SIZE + " and " + ENTRY_SIZE);
        }
        long declared = b.getLong(H_FILE_SIZE);
        if (declared != fileSize) {
            throw refuse(file, "its header says " + declared + " bytes but the file has " + fileSize
                    + ": it was truncated or resized");
        }
        int count = b.getInt(H_BANK_COUNT);
        if (count < 0 || HEADER_SIZE + (long) count * ENTRY_SIZE > fileSize) {
            throw refuse(file, "its bank table (" + count + " banks) does not fit in " + fileSize + " bytes");
        }
        List<Bank> found = new ArrayList<>();
        long[] offsets = new long[count];
        long previousEnd = HEADER_SIZE + (long) count * ENTRY_SIZE;
        for (int i = 0; i < count; i++) {
            int e = entry(i);
            byte[] name = new byte[NAME_SIZE];
            b.get(e + E_NAME, name);
            int length = 0;
            while (length < NAME_SIZE && name[length] != 0) {
                length++;
            }
            String bankName = new String(name, 0, length, StandardCharsets.UTF_8);
            int size = b.getInt(e + E_SIZE);
            long offset = b.getLong(e + E_DATA_OFFSET);
            if (size < 1 || offset % ALIGN != 0 || offset < previousEnd || offset + size > fileSize) {
                throw refuse(file, "bank " + i + " ('" + bankName + "') has data offset " + offset + " and size "
                        + size + ", which do not lie in order, 64-aligned, inside the " + fileSize + "-byte file");
            }
            previousEnd = offset + size;
            offsets[i] = offset;
            try {
                found.add(new Bank(i, bankName, size));
            } catch (NexusException ex) {
                throw refuse(file, "bank " + i + ": " + ex.getMessage());
            }
        }
        if (!found.equals(expected)) {
            throw refuse(file, "it holds banks [" + BankLayout.format(found) + "] but the configuration asks for ["
                    + BankLayout.format(expected) + "]: point mmap.file at another file, or make banks match the file");
        }
        return offsets;
    }

    private static NexusException refuse(String file, String why) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, "refusing RMA memory file " + file + ": " + why
                + ". RMA Nexus never changes an existing file: fix or remove it yourself.");
    }
}
