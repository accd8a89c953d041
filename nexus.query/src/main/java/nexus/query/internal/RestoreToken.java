package nexus.query.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The opaque confirmation a restore's dry run answers and its real run presents: base64url (no padding) of
 *
 * <pre>
 * byte 0          format, 2
 * bytes 1–8       the registry version checked against
 * bytes 9–40      SHA-256 of the user name of the caller who ran the dry run (whose diff was approved)
 * bytes 41–72     SHA-256 of the snapshot as read and the restore's options (which file, how mapped)
 * bytes 73–104    SHA-256 of the current value of every writable tag of the snapshot (what it saw)
 * bytes 105–108   n, the banks holding the tags to write
 * n × 12 bytes    each bank's id (4) and the sequence the dry run read it at (8)
 * last 4 bytes    CRC-32 of everything before
 * </pre>
 *
 * The real run compares the caller, the registry version and both digests (a confirmation is its
 * caller's: another user presenting it is refused, having approved no diff); the sequences are there for the
 * record (docs/snapshot.md), not compared: banks of a live plant move all the time. The checksum
 * keeps out accidents, not forgery: a forged confirmation only skips a safety check the caller asked for,
 * never a permission, which the real run checks again.
 */
record RestoreToken(long registryVersion, byte[] caller, byte[] snapshot, byte[] values, int[] banks, long[] sequences) {

    private static final byte FORMAT = 2;

    String encode() {
        ByteBuffer token = ByteBuffer.allocate(1 + 8 + 32 + 32 + 32 + 4 + banks.length * 12 + 4);
        token.put(FORMAT).putLong(registryVersion).put(caller).put(snapshot).put(values).putInt(banks.length);
        for (int i = 0; i < banks.length; i++) {
            token.putInt(banks[i]).putLong(sequences[i]);
        }
        token.putInt((int) crc(token.array(), token.position()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    /** @throws NexusException INVALID_ARGUMENT when the text is not a confirmation a dry run gave out */
    static RestoreToken decode(String text) {
        byte[] token;
        try {
            token = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw garbage();
        }
        if (token.length < 1 + 8 + 96 + 4 + 4 || token[0] != FORMAT
                || ByteBuffer.wrap(token, token.length - 4, 4).getInt() != (int) crc(token, token.length - 4)) {
            throw garbage();
        }
        ByteBuffer in = ByteBuffer.wrap(token, 1, token.length - 5);
        long version = in.getLong();
        byte[] caller = new byte[32];
        byte[] snapshot = new byte[32];
        byte[] values = new byte[32];
        in.get(caller).get(snapshot).get(values);
        int n = in.getInt();
        if (n < 0 || n * 12L != in.remaining()) {
            throw garbage();
        }
        int[] banks = new int[n];
        long[] sequences = new long[n];
        for (int i = 0; i < n; i++) {
            banks[i] = in.getInt();
            sequences[i] = in.getLong();
        }
        return new RestoreToken(version, caller, snapshot, values, banks, sequences);
    }

    /** @throws NexusException CONFLICT when this dry run's confirmation does not match what the real run finds now */
    void check(RestoreToken now) {
        if (!Arrays.equals(caller, now.caller)) {
            throw new NexusException(ErrorCode.CONFLICT, "the confirmation belongs to another user, who ran the dry run:"
                    + " nothing was written; run the dry run yourself, check its diff, and present its confirmation");
        }
        if (registryVersion != now.registryVersion) {
            throw new NexusException(ErrorCode.CONFLICT, "the registry was replaced since the dry run (version "
                    + registryVersion + ", now " + now.registryVersion + "): nothing was written; run the dry run again");
        }
        if (!Arrays.equals(snapshot, now.snapshot)) {
            throw new NexusException(ErrorCode.CONFLICT, "the confirmation is of a dry run of another snapshot or other options:"
                    + " nothing was written; send the same file and map option as the dry run, or dry run this one");
        }
        if (!Arrays.equals(values, now.values)) {
            throw new NexusException(ErrorCode.CONFLICT, "a tag the snapshot would write changed since the dry run:"
                    + " nothing was written; run the dry run again to see the diff as it is now");
        }
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    private static NexusException garbage() {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, "the confirmation is not one a restore's dry run gave out (it"
                + " is damaged, cut short or made up): pass the confirmation of the dry run exactly as it came");
    }
}
