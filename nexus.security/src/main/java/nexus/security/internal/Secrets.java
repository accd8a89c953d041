package nexus.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The random values this bundle hands out and how they are recognised and hashed. An API token is
 * {@value #TOKEN_PREFIX} + a public id of {@value #ID_CHARS} characters + a secret of 256 bits, all
 * base64url: the prefix lets secret scanners and people recognise a leaked token, the id lets the
 * store find the token's record without comparing anything secret, and only the SHA-256 of the whole
 * token is kept (random tokens need no slow KDF, which would cost every request).
 */
final class Secrets {

    static final String TOKEN_PREFIX = "nexus_";
    static final int ID_CHARS = 12;
    /** 256 bits as base64url without padding. */
    static final int SECRET_CHARS = 43;
    static final int TOKEN_CHARS = TOKEN_PREFIX.length() + ID_CHARS + SECRET_CHARS;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {
    }

    /** @return a new token: the prefix, this id and a fresh 256-bit secret */
    static String newToken(String id) {
        return TOKEN_PREFIX + id + random(32);
    }

    /** @return a new public token id (72 random bits) */
    static String newId() {
        return random(9);
    }

    /** @return a new stream ticket (256 random bits) */
    static String newTicket() {
        return random(32);
    }

    /** @return whether the text has the shape of an API token (it may still be unknown) */
    static boolean looksLikeToken(String text) {
        return text.length() == TOKEN_CHARS && text.startsWith(TOKEN_PREFIX)
                && isBase64Url(text.substring(TOKEN_PREFIX.length()));
    }

    /** @return the public id of a text that {@link #looksLikeToken looks like a token} */
    static String idOf(String token) {
        return token.substring(TOKEN_PREFIX.length(), TOKEN_PREFIX.length() + ID_CHARS);
    }

    /** @return whether the text is a possible token id */
    static boolean isId(String text) {
        return text.length() == ID_CHARS && isBase64Url(text);
    }

    /** @return the SHA-256 of the text's UTF-8 bytes */
    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** @return the SHA-256 of the text as 64 lower-case hex digits */
    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text));
    }

    /** @return whether two hashes are equal, in a time that does not depend on where they differ */
    static boolean sameHash(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    static boolean isBase64Url(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return BASE64URL.encodeToString(value);
    }
}
