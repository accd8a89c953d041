package nexus.query.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import nexus.registry.Tag;
import nexus.rma.Allocation;

/**
 * The layout hash of a snapshot's tags: SHA-256 over one line per tag, in path order (the paths'
 * UTF-8 bytes, as the registry sorts them), each {@code path NUL bank NUL byteOffset NUL bitOffset
 * NUL type NUL length LF} in UTF-8 with decimal numbers and the bank by name. It names neither ids nor
 * registry versions, so the same layout hashes alike after a restart. Written {@code sha256:} and 64
 * lowercase hex digits. Not thread-safe.
 */
final class LayoutHash {

    static final String PREFIX = "sha256:";

    private final MessageDigest digest;
    private long tags;

    LayoutHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Adds the next tag in path order. */
    void add(Tag tag, String bank) {
        Allocation a = tag.allocation();
        String line = tag.path() + '\0' + bank + '\0' + a.byteOffset() + '\0' + a.bitOffset() + '\0' + a.type().name() + '\0'
                + a.length() + '\n';
        digest.update(line.getBytes(StandardCharsets.UTF_8));
        tags++;
    }

    long tags() {
        return tags;
    }

    /** @return the hash of the tags added; the hash starts again empty */
    String finish() {
        tags = 0;
        return PREFIX + HexFormat.of().formatHex(digest.digest());
    }
}
