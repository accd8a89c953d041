package nexus.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import nexus.core.AuditRecord;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.HealthStatus;
import nexus.core.NexusException;

class AuditLineTest {

    private static final Instant T = Instant.parse("2026-12-08T09:14:03.512Z");

    private static byte[] line(AuditRecord draft, long sequence) {
        return AuditLine.encode(draft.appended(sequence, T));
    }

    private static long check(byte[] line) {
        return AuditLine.sequence(line, 0, line.length - 1); // without the \n
    }

    @Test
    void aRecordIsOneJsonLineEndingInItsCrc() {
        byte[] line = line(AuditRecord.done(Caller.of("alice", java.util.Set.of("operator"), "http 127.0.0.1"), AuditRecord.Target.TAG,
                "site1/line9/tank2/setpoint", "write", 21.5, 22.0, "new batch"), 42);

        String text = new String(line, StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"v\":1,\"seq\":42,\"time\":\"2026-12-08T09:14:03.512Z\",\"user\":\"alice\","
                + "\"roles\":[\"operator\"],\"source\":\"http 127.0.0.1\",\"target\":\"TAG\",\"name\":\"site1/line9/tank2/setpoint\","
                + "\"action\":\"write\",\"before\":21.5,\"after\":22.0,\"result\":\"OK\",\"refused\":false,"
                + "\"detail\":\"new batch\",\"crc\":\"")
                .endsWith("\"}\n").hasLineCount(1);
        assertThat(check(line)).isEqualTo(42);
    }

    @Test
    void theCrcCoversEverythingBeforeIt() {
        byte[] line = line(Records.write(1), 7);
        String text = new String(line, StandardCharsets.UTF_8);
        int member = text.lastIndexOf(",\"crc\":");
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(line, 0, member);

        assertThat(text.substring(member)).isEqualTo(",\"crc\":\"" + String.format("%08x", crc.getValue()) + "\"}\n");
    }

    @Test
    void aLineWithAnyByteChangedIsDamaged() {
        byte[] line = line(Records.write(1), 7);
        for (int i = 0; i < line.length - 1; i++) {
            byte[] damaged = line.clone();
            damaged[i] ^= 0x04;
            assertThat(check(damaged)).as("byte %d changed", i).isEqualTo(-1);
        }
    }

    @Test
    void aLineCutShortIsDamaged() {
        byte[] line = line(Records.write(1), 7);
        for (int length = 0; length < line.length - 1; length++) {
            assertThat(AuditLine.sequence(line, 0, length)).as("the first %d bytes", length).isEqualTo(-1);
        }
    }

    @Test
    void aLineWhoseCrcMatchesButIsNotARecordIsDamaged() {
        String body = "{\"v\":1,\"seq\":\"x\"";
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        byte[] line = (body + ",\"crc\":\"" + String.format("%08x", crc.getValue()) + "\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(AuditLine.sequence(line, 0, line.length)).isEqualTo(-1);
    }

    @Test
    void valuesKeepTheirJsonTypeAndEverythingElseIsText() {
        AuditRecord draft = AuditRecord.done(Caller.of("bob", "shell"), AuditRecord.Target.ALARM, "tank2/level_hi",
                "ACKNOWLEDGE", HealthStatus.DOWN, true, "line one\nline two");
        String text = new String(line(draft, 1), StandardCharsets.UTF_8);

        assertThat(text).contains("\"before\":\"DOWN\",\"after\":true").contains("\"detail\":\"line one\\nline two\"")
                .doesNotContain("\"roles\"").hasLineCount(1);
        assertThat(new String(line(Records.write("t", 3L, Double.NaN), 1), StandardCharsets.UTF_8))
                .contains("\"before\":3,\"after\":\"NaN\"");
    }

    @Test
    void aRefusedActCarriesItsCodeAndMessage() {
        AuditRecord draft = AuditRecord.refused(Caller.of("bob", "shell"), AuditRecord.Target.TAG, "t", "write", 1, 900,
                new NexusException(ErrorCode.INVALID_ARGUMENT, "900 is above the range's top 100"));

        assertThat(new String(line(draft, 1), StandardCharsets.UTF_8))
                .contains("\"result\":\"INVALID_ARGUMENT\",\"refused\":true,\"detail\":\"900 is above the range's top 100\"");
    }

    @Test
    void aRecordTooLongForALineIsRefused() {
        AuditRecord draft = AuditRecord.done(Caller.of("bob", "shell"), AuditRecord.Target.TAG, "t", "write", null,
                "x".repeat(AuditLine.MAX_BYTES), null);

        assertThatThrownBy(() -> line(draft, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the most is " + AuditLine.MAX_BYTES);
    }
}
