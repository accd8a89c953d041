package nexus.query.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The opaque cursor of a tag listing: base64url (no padding) of a small token that holds the prefix
 * it was given for and the last path of its page, so the next page starts after that path, in
 * whatever registry version is served then.
 *
 * <pre>
 * byte 0        format, 1
 * bytes 1–4     n, the prefix's length in UTF-8 bytes (big-endian)
 * n bytes       the prefix, UTF-8
 * m bytes       the last path, UTF-8
 * last 4 bytes  CRC-32 of everything before: a cursor cut short or edited is refused, not followed
 * </pre>
 *
 * The checksum keeps out accidents, not forgery: a forged cursor can only name a position in the
 * listing, which the caller may ask for anyway.
 */
final class TagCursor {

    private static final byte FORMAT = 1;
    private static final int HEADER = 5;
    private static final int CHECKSUM = 4;

    private TagCursor() {
    }

    /** @return the cursor of the page whose last path is {@code lastPath}, listed with {@code prefix} */
    static String encode(String prefix, String lastPath) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] last = lastPath.getBytes(StandardCharsets.UTF_8);
        ByteBuffer token = ByteBuffer.allocate(HEADER + p.length + last.length + CHECKSUM);
        token.put(FORMAT).putInt(p.length).put(p).put(last);
        token.putInt((int) crc(token.array(), token.position()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    /**
     * @return the last path of the page before
     * @throws NexusException INVALID_ARGUMENT when the cursor is not one {@link #encode} made, or was
     *                        made for another prefix
     */
    static String after(String cursor, String prefix) {
        byte[] token;
        try {
            token = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw garbage();
        }
        if (token.length < HEADER + CHECKSUM || token[0] != FORMAT
                || ByteBuffer.wrap(token, token.length - CHECKSUM, CHECKSUM).getInt() != (int) crc(token, token.length - CHECKSUM)) {
            throw garbage();
        }
        int length = ByteBuffer.wrap(token, 1, 4).getInt();
        if (length < 0 || length > token.length - HEADER - CHECKSUM) {
            throw garbage();
        }
        String given = utf8(token, HEADER, length);
        String last = utf8(token, HEADER + length, token.length - HEADER - length - CHECKSUM);
        if (!given.equals(prefix)) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the cursor was given out for another prefix, not '"
                    + prefix + "': list with the prefix it came with, or start again without a cursor");
        }
        if (!last.startsWith(prefix)) {
            throw garbage();
        }
        return last;
    }

    private static String utf8(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw garbage();
        }
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    private static NexusException garbage() {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, "the cursor is not one this service gave out (it is"
                + " damaged, cut short or made up): pass the cursor of the page before exactly as it came, or start"
                + " again without a cursor");
    }
}
