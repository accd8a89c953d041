package nexus.alarm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {

    @TempDir
    Path dir;

    private static final Snapshot.Entry ACKED = new Snapshot.Entry("plant1/line1/tt101/hi", 0x87, 1, 0, 1000, 2000,
            AlarmRecord.NONE, AlarmRecord.NONE, false, "alice", "on it, é ✓", null, null, 7);
    private static final Snapshot.Entry SHELVED = new Snapshot.Entry("p1_fault", 0x97, 1, 7, AlarmRecord.UNKNOWN,
            AlarmRecord.NONE, 1500, 99_000, true, null, null, "bob", "known issue", 2);

    @Test
    void entriesSurviveTheRoundTripExactly() throws IOException {
        Path file = dir.resolve("data/alarms.snapshot");

        Snapshot.write(file, 123_456, List.of(ACKED, SHELVED));
        Snapshot.Content content = Snapshot.read(file);

        assertThat(content.writtenAt()).isEqualTo(123_456);
        assertThat(content.entries()).containsOnlyKeys("plant1/line1/tt101/hi", "p1_fault");
        assertThat(content.entries().get("plant1/line1/tt101/hi")).isEqualTo(ACKED);
        assertThat(content.entries().get("p1_fault")).isEqualTo(SHELVED);
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left behind")
                    .containsExactly("alarms.snapshot");
        }
    }

    @Test
    void aMissingFileIsNoSnapshot() throws IOException {
        assertThat(Snapshot.read(dir.resolve("none"))).isNull();
    }

    @Test
    void everyFlippedByteIsDetected() throws IOException {
        Path file = dir.resolve("s");
        Snapshot.write(file, 1, List.of(ACKED, SHELVED));
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = Arrays.copyOf(good, good.length);
            bad[i] ^= 0x01;
            Files.write(file, bad);
            assertThatThrownBy(() -> Snapshot.read(file)).as("byte %d flipped", i)
                    .isInstanceOf(Snapshot.CorruptSnapshotException.class);
        }
    }

    @Test
    void truncatedForeignAndEmptyFilesAreRefusedWithTheReason() throws IOException {
        Path file = dir.resolve("s");
        Snapshot.write(file, 1, List.of(ACKED));
        byte[] good = Files.readAllBytes(file);

        Files.write(file, Arrays.copyOf(good, good.length - 3));
        assertThatThrownBy(() -> Snapshot.read(file)).hasMessageContaining("checksum does not match");
        Files.writeString(file, "SQLite format 3\0 and more bytes than a header");
        assertThatThrownBy(() -> Snapshot.read(file)).hasMessageContaining("is not an alarm snapshot");
        Files.write(file, new byte[0]);
        assertThatThrownBy(() -> Snapshot.read(file)).hasMessageContaining("is not an alarm snapshot");
    }

    @Test
    void aStoreThatCannotWriteKeepsTheReasonAndTheAlarmManagerGoesOn() throws IOException {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "a file where a folder should be");
        SnapshotStore store = new SnapshotStore(blocker.resolve("alarms.snapshot"));

        assertThat(store.checkpoint(1, 1, List.of(ACKED))).isFalse();

        assertThat(store.problem()).startsWith("cannot write the alarm snapshot");
        assertThat(store.lastSaved()).isNull();
    }

    @Test
    void theSnapshotNamesTheJournalSegmentThatFollowsIt() throws IOException {
        Path file = dir.resolve("s.snapshot");

        Snapshot.write(file, 1, 42, List.of(ACKED));

        assertThat(Snapshot.read(file).journalSegment()).isEqualTo(42);
    }

    @Test
    void namesAndCommentsOfAnyLengthSurviveTheRoundTrip() throws IOException {
        Path file = dir.resolve("s");
        Snapshot.Entry long1 = new Snapshot.Entry("plant1/" + "ü".repeat(40_000), 0x87, 1, 0, 1000, 2000, AlarmRecord.NONE,
                AlarmRecord.NONE, false, "alice", "x".repeat(70_000), null, null, 7);

        Snapshot.write(file, 1, List.of(long1, SHELVED));

        assertThat(Snapshot.read(file).entries()).containsValues(long1, SHELVED);
    }

    @Test
    void aVersion3SnapshotWithModifiedUtf8StringsIsReadAsBefore() throws IOException {
        Path file = dir.resolve("s");
        var bytes = new java.io.ByteArrayOutputStream();
        var out = new java.io.DataOutputStream(bytes);
        out.write("NXALSNAP".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeInt(3);
        out.writeLong(123);
        out.writeLong(4);
        out.writeInt(1);
        out.writeUTF(ACKED.name());
        out.writeByte(ACKED.flags());
        out.writeInt(ACKED.flagBank());
        out.writeInt(ACKED.flagByte());
        out.writeLong(ACKED.activatedAt());
        out.writeLong(ACKED.ackedAt());
        out.writeLong(ACKED.clearedAt());
        out.writeLong(ACKED.shelvedUntil());
        out.writeBoolean(ACKED.oneShot());
        out.writeBoolean(true);
        out.writeUTF(ACKED.ackUser());
        out.writeBoolean(true);
        out.writeUTF(ACKED.ackComment());
        out.writeBoolean(false);
        out.writeBoolean(false);
        out.writeLong(ACKED.sequence());
        out.flush();
        var crc = new java.util.zip.CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        Files.write(file, bytes.toByteArray());

        Snapshot.Content content = Snapshot.read(file);

        assertThat(content.journalSegment()).isEqualTo(4);
        assertThat(content.entries()).containsExactly(java.util.Map.entry(ACKED.name(), ACKED));
    }
}
