package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

class TagCursorTest {

    @Test
    void aCursorGivesBackTheLastPathForItsPrefix() {
        String prefix = "plant/\u00e9t\u00e9/";
        String last = "plant/\u00e9t\u00e9/\uD83D\uDE00/level";

        String cursor = TagCursor.encode(prefix, last);

        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(TagCursor.after(cursor, prefix)).isEqualTo(last);
        assertThat(TagCursor.after(TagCursor.encode("", "a"), "")).isEqualTo("a");
    }

    @Test
    void everyChangedByteIsNoticed() {
        byte[] token = Base64.getUrlDecoder().decode(TagCursor.encode("plant/", "plant/tank/level"));
        for (int i = 0; i < token.length; i++) {
            byte[] changed = token.clone();
            changed[i] ^= 0x01;
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
            assertThatThrownBy(() -> TagCursor.after(cursor, "plant/")).as("byte %d", i).isInstanceOf(NexusException.class)
                    .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
    }

    @Test
    void aWellFormedCursorWhosePathLiesOutsideItsPrefixIsRefused() {
        byte[] prefix = "plant/".getBytes(StandardCharsets.UTF_8);
        byte[] last = "other/x".getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer token = java.nio.ByteBuffer.allocate(5 + prefix.length + last.length + 4);
        token.put((byte) 1).putInt(prefix.length).put(prefix).put(last);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(token.array(), 0, token.position());
        token.putInt((int) crc.getValue());
        String made = Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());

        assertThatThrownBy(() -> TagCursor.after(made, "plant/")).hasMessageStartingWith("the cursor is not one this service"
                + " gave out");
    }
}
