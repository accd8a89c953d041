package nexus.alarm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.alarm.AlarmFlags;

/** The journal's file format, replay and rotation, on real files; "a crash" is opening the files again. */
class JournalTest {

    private static final int UNACKED = AlarmFlags.VALID | AlarmFlags.ENABLED | AlarmFlags.ACTIVE;
    private static final int ACKED = UNACKED | AlarmFlags.ACKED;
    private static final int NORMAL = AlarmFlags.VALID | AlarmFlags.ENABLED | AlarmFlags.ACKED;

    @TempDir
    Path dir;

    private static Snapshot.Entry state(String name, int flags, long sequence, String ackUser) {
        return new Snapshot.Entry(name, flags, 1, name.length(), 1000 * sequence, ackUser == null ? AlarmRecord.NONE
                : 1000 * sequence + 1, AlarmRecord.NONE, AlarmRecord.NONE, false, ackUser, null, null, null, sequence);
    }

    private Path snapshotFile() {
        return dir.resolve("alarms.snapshot");
    }

    /** A store as a new process opens it: reads the snapshot and replays the journal. */
    private Journal.Replay restart() {
        return new SnapshotStore(snapshotFile()).load();
    }

    private List<String> journalFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("alarms.journal.")).sorted()
                    .toList();
        }
    }

    @Test
    void commitsComeBackInOrderWithTheStateBeforeTheLastCommit() throws IOException {
        SnapshotStore store = new SnapshotStore(snapshotFile());
        store.load();
        store.commit(List.of(state("a", UNACKED, 1, null), state("b", UNACKED, 1, null)));
        store.commit(List.of(state("a", ACKED, 2, "alice")));

        Journal.Replay replay = restart();

        assertThat(replay.complete()).isTrue();
        assertThat(replay.records()).isEqualTo(3);
        assertThat(replay.alarms().get("a").last()).isEqualTo(state("a", ACKED, 2, "alice"));
        assertThat(replay.alarms().get("a").previous()).isEqualTo(state("a", UNACKED, 1, null));
        assertThat(replay.alarms().get("b").previous()).isNull();
        assertThat(replay.tornBytes()).isZero();
    }

    @Test
    void twoStatesOfOneAlarmInOneCommitLeaveTheEarlierCommitAsPrevious() throws IOException {
        SnapshotStore store = new SnapshotStore(snapshotFile());
        store.load();
        store.commit(List.of(state("a", UNACKED, 1, null)));
        store.commit(List.of(state("a", ACKED, 2, "alice"), state("a", NORMAL, 3, "alice")));

        Journal.Recovered a = restart().alarms().get("a");

        assertThat(a.last().sequence()).isEqualTo(3);
        assertThat(a.previous().sequence()).as("RMA never held the state in the middle of a commit").isEqualTo(1);
    }

    @Test
    void aTornTailIsTruncatedCountedAndTheCommitsBeforeItKept() throws IOException {
        SnapshotStore store = new SnapshotStore(snapshotFile());
        store.load();
        store.commit(List.of(state("a", UNACKED, 1, null)));
        Path segment = dir.resolve(journalFiles().get(0));
        long firstCommitEnd = Files.size(segment);
        store.commit(List.of(state("a", ACKED, 2, "alice"), state("b", UNACKED, 1, null)));
        byte[] whole = Files.readAllBytes(segment);
        for (int cut = (int) firstCommitEnd + 1; cut < whole.length; cut += 7) {
            Files.write(segment, Arrays.copyOf(whole, cut));

            Journal.Replay replay = new Journal(dir, "alarms.journal", Journal.Channels.DEFAULT).open(null);

            assertThat(replay.alarms()).as("cut at %d", cut).containsOnlyKeys("a");
            assertThat(replay.alarms().get("a").last().sequence()).isEqualTo(1);
            assertThat(replay.tornBytes()).isEqualTo(cut - firstCommitEnd);
            assertThat(Files.size(segment)).as("truncated to the last whole commit").isEqualTo(firstCommitEnd);
            for (String name : journalFiles()) {
                if (!dir.resolve(name).equals(segment)) {
                    Files.delete(dir.resolve(name)); // the segment each open starts
                }
            }
        }
    }

    @Test
    void aRecordWhoseCrcDoesNotMatchEndsTheSegmentThere() throws IOException {
        SnapshotStore store = new SnapshotStore(snapshotFile());
        store.load();
        store.commit(List.of(state("a", UNACKED, 1, null)));
        Path segment = dir.resolve(journalFiles().get(0));
        long firstCommitEnd = Files.size(segment);
        store.commit(List.of(state("a", ACKED, 2, "alice")));
        store.commit(List.of(state("b", UNACKED, 1, null)));
        byte[] bytes = Files.readAllBytes(segment);
        bytes[(int) firstCommitEnd + 20] ^= 0x10; // inside the second commit's first payload
        Files.write(segment, bytes);

        Journal.Replay replay = restart();

        assertThat(replay.alarms().get("a").last().sequence()).isEqualTo(1);
        assertThat(replay.alarms()).doesNotContainKey("b");
        assertThat(replay.tornBytes()).isEqualTo(bytes.length - firstCommitEnd);
    }

    @Test
    void aSegmentWithoutAValidHeaderIsDeleted() throws IOException {
        Files.write(dir.resolve("alarms.journal.1"), new byte[] { 'N', 'X' });

        Journal.Replay replay = restart();

        assertThat(replay.alarms()).isEmpty();
        assertThat(replay.tornBytes()).isEqualTo(2);
        assertThat(journalFiles()).containsExactly("alarms.journal.2");
    }

    // ---- checkpoints: a crash at every step ----

    @Test
    void aCrashAfterTheNewSegmentBeforeTheSnapshotReplaysBothSegments() throws IOException {
        SnapshotStore store = new SnapshotStore(snapshotFile());
        store.load();
        store.commit(List.of(state("a", UNACKED, 1, null)));
        store.rotate();
        store.commit(List.of(state("a", ACKED, 2, "alice")));

        Journal.Recovered a = restart().alarms().get("a");

        assertThat(a.last()).isEqualTo(state("a", ACKED, 2, "alice"));
        assertThat(a.previous()).isEqualTo(state("a", UNACKED, 1, null));
    }

    @Test
    void aCrashWhileTheSnapshotIsWrittenKeepsTheOldSnapshotAndEverySegment() throws IOException {
        SnapshotStore store = new SnapshotStore(snapshotFile());
        store.load();
        store.commit(List.of(state("a", UNACKED, 1, null)));
        store.rotate();
        store.commit(List.of(state("a", ACKED, 2, "alice")));
        Files.write(dir.resolve("alarms.snapshot.tmp"), new byte[] { 'N', 'X', 'A' }); // cut short, never moved

        Journal.Replay replay = restart();

        assertThat(replay.alarms().get("a").last().sequence()).isEqualTo(2);
        assertThat(replay.complete()).isTrue();
    }

    @Test
    void aCrashAfterTheSnapshotBeforeTheOldSegmentIsDeletedNeverReplaysTheOldSegment() throws IOException {
        SnapshotStore store = new SnapshotStore(snapshotFile());
        store.load();
        store.commit(List.of(state("a", UNACKED, 1, null)));
        store.commit(List.of(state("a", ACKED, 2, "alice")));
        long segment = store.rotate();
        Snapshot.write(snapshotFile(), 5, segment, List.of(state("a", ACKED, 2, "alice")));
        assertThat(journalFiles()).hasSize(2);

        Journal.Replay replay = restart();

        assertThat(replay.alarms().get("a").last()).isEqualTo(state("a", ACKED, 2, "alice"));
        assertThat(replay.alarms().get("a").previous()).as("segment 1 is older than the snapshot").isNull();
        assertThat(journalFiles()).as("the leftover is deleted").doesNotContain("alarms.journal.1");
    }

    @Test
    void aWholeCheckpointLeavesTheSnapshotAndOneSegment() throws IOException {
        SnapshotStore store = new SnapshotStore(snapshotFile());
        store.load();
        store.commit(List.of(state("a", UNACKED, 1, null)));
        long segment = store.rotate();

        assertThat(store.checkpoint(5, segment, List.of(state("a", UNACKED, 1, null)))).isTrue();
        store.commit(List.of(state("a", ACKED, 2, "alice")));

        assertThat(journalFiles()).containsExactly("alarms.journal." + segment);
        Journal.Recovered a = restart().alarms().get("a");
        assertThat(a.last().sequence()).isEqualTo(2);
        assertThat(a.previous().sequence()).as("the snapshot's state").isEqualTo(1);
    }

    @Test
    void aSnapshotWhoseSegmentIsMissingIsIncomplete() throws IOException {
        Snapshot.write(snapshotFile(), 5, 3, List.of(state("a", UNACKED, 1, null)));

        Journal.Replay replay = restart();

        assertThat(replay.complete()).isFalse();
        assertThat(replay.alarms().get("a").last().sequence()).as("its sequences still count").isEqualTo(1);
    }

    @Test
    void aJournalThatWasNeverOpenedNeverOverwritesAnExistingSegment() throws IOException {
        SnapshotStore store = new SnapshotStore(snapshotFile());
        store.load();
        store.commit(List.of(state("a", ACKED, 2, "alice")));
        Journal unopened = new Journal(dir, "alarms.journal", Journal.Channels.DEFAULT); // its open failed

        unopened.append(List.of(state("b", UNACKED, 1, null)));

        Journal.Replay replay = restart();
        assertThat(replay.alarms().get("a").last()).isEqualTo(state("a", ACKED, 2, "alice"));
        assertThat(replay.alarms()).containsKey("b");
    }

    @Test
    void aRestartOfTheMachineSinceTheJournalWasWrittenIsReported() throws IOException {
        SnapshotStore before = new SnapshotStore(snapshotFile(), Journal.Channels.DEFAULT, "boot-1");
        before.load();
        before.commit(List.of(state("a", ACKED, 2, "alice")));

        assertThat(new SnapshotStore(snapshotFile(), Journal.Channels.DEFAULT, "boot-1").load().rebooted())
                .as("a process crash").isFalse();
        assertThat(new SnapshotStore(snapshotFile(), Journal.Channels.DEFAULT, "boot-2").load().rebooted())
                .as("a power loss or reboot").isTrue();
        assertThat(new SnapshotStore(snapshotFile(), Journal.Channels.DEFAULT, "boot-2").load().rebooted())
                .as("the segment of the start after it is this boot's").isFalse();
    }

    // ---- a failing disk ----

    @Test
    void aCommitOnAFullDiskFailsLeavesNothingBehindAndTheNextOneStartsANewSegment() throws IOException {
        FullDisk disk = new FullDisk();
        long[] clock = { 0 };
        SnapshotStore store = new SnapshotStore(snapshotFile(), disk, null, () -> clock[0]);
        store.load();
        store.commit(List.of(state("a", UNACKED, 1, null)));
        disk.full = true;

        assertThatThrownBy(() -> store.commit(List.of(state("a", ACKED, 2, "alice"))))
                .isInstanceOf(IOException.class).hasMessageContaining("No space left");
        assertThatThrownBy(() -> store.commit(List.of(state("a", ACKED, 2, "alice"))))
                .isInstanceOf(IOException.class);
        assertThat(store.journal().broken()).contains("No space left");
        assertThat(restart().alarms().get("a").last().sequence()).as("nothing of the failed commits").isEqualTo(1);

        disk.full = false;
        clock[0] += Journal.RETRY_MILLIS;
        store.commit(List.of(state("a", ACKED, 3, "eve")));

        assertThat(store.journal().broken()).isNull();
        assertThat(restart().alarms().get("a").last()).isEqualTo(state("a", ACKED, 3, "eve"));
    }

    @Test
    void aDiskThatCreatesFilesButTakesNoBytesLeavesNoSegmentBehindAndIsTriedAtMostOnceASecond() throws IOException {
        FullDisk disk = new FullDisk();
        disk.createsFiles = true;
        long[] clock = { 0 };
        SnapshotStore store = new SnapshotStore(snapshotFile(), disk, null, () -> clock[0]);
        store.load();
        store.commit(List.of(state("a", UNACKED, 1, null)));
        List<String> before = journalFiles();
        disk.full = true;

        int opens = disk.opens.get();
        java.util.Set<String> messages = new java.util.HashSet<>();
        for (int scan = 0; scan < 200; scan++) {
            clock[0] += 100;
            assertThatThrownBy(() -> store.commit(List.of(state("a", ACKED, 2, "alice"))))
                    .isInstanceOf(IOException.class).hasMessageContaining("No space left")
                    .satisfies(e -> messages.add(e.getMessage()));
        }
        assertThat(messages).as("tried or not, the same words: the report does not flap").hasSize(1);

        assertThat(journalFiles()).as("a segment whose header cannot be written is deleted").isEqualTo(before);
        assertThat(disk.opens.get() - opens).as("20 s of scans: a new segment tried at most once a second")
                .isBetween(1, 20);

        disk.full = false;
        clock[0] += Journal.RETRY_MILLIS;
        store.commit(List.of(state("a", ACKED, 3, "eve")));
        assertThat(journalFiles()).as("the next segment takes the number the failed tries did not keep")
                .hasSize(before.size() + 1);
        assertThat(restart().alarms().get("a").last()).isEqualTo(state("a", ACKED, 3, "eve"));
    }

    // ---- strings of any length ----

    @Test
    void anAlarmNameOver65535BytesIsJournaledLikeAnyOther() throws IOException {
        SnapshotStore store = new SnapshotStore(snapshotFile());
        store.load();
        String name = "plant1/" + "x".repeat(70_000);

        assertThat(store.commit(List.of(state(name, UNACKED, 1, null), state("b", UNACKED, 1, null)))).isEmpty();

        assertThat(restart().alarms()).containsOnlyKeys(name, "b");
    }

    @Test
    void aStateTooLongForARecordIsLeftOutAndTheOthersAreCommitted() throws IOException {
        SnapshotStore store = new SnapshotStore(snapshotFile());
        store.load();
        String name = "plant1/" + "x".repeat(Journal.MAX_RECORD);

        assertThat(store.commit(List.of(state(name, UNACKED, 1, null), state("b", UNACKED, 1, null))))
                .containsExactly(name);
        assertThat(store.commit(List.of(state(name, ACKED, 2, "alice")))).containsExactly(name);
        store.commit(List.of(state("b", ACKED, 2, "alice")));

        Journal.Replay replay = restart();
        assertThat(replay.alarms()).containsOnlyKeys("b");
        assertThat(replay.alarms().get("b").last()).isEqualTo(state("b", ACKED, 2, "alice"));
        assertThat(replay.tornBytes()).isZero();
    }

    @Test
    void aVersion1SegmentWithModifiedUtf8StringsIsReplayedAsBefore() throws IOException {
        Snapshot.Entry a = state("a", ACKED, 2, "alice");
        var segment = new java.io.ByteArrayOutputStream();
        var out = new java.io.DataOutputStream(segment);
        out.write("NXALJRNL".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeInt(1);
        out.writeLong(1);
        out.write(" ".repeat(Journal.BOOT_ID).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        var state = new java.io.ByteArrayOutputStream();
        var entry = new java.io.DataOutputStream(state);
        entry.writeByte(Journal.STATE);
        entry.writeLong(1);
        entry.writeUTF(a.name());
        entry.writeByte(a.flags());
        entry.writeInt(a.flagBank());
        entry.writeInt(a.flagByte());
        entry.writeLong(a.activatedAt());
        entry.writeLong(a.ackedAt());
        entry.writeLong(a.clearedAt());
        entry.writeLong(a.shelvedUntil());
        entry.writeBoolean(a.oneShot());
        entry.writeBoolean(true);
        entry.writeUTF(a.ackUser());
        entry.writeBoolean(false);
        entry.writeBoolean(false);
        entry.writeBoolean(false);
        entry.writeLong(a.sequence());
        var commit = new java.io.ByteArrayOutputStream();
        var end = new java.io.DataOutputStream(commit);
        end.writeByte(Journal.COMMIT);
        end.writeLong(1);
        for (byte[] payload : List.of(state.toByteArray(), commit.toByteArray())) {
            var crc = new java.util.zip.CRC32();
            crc.update(payload);
            out.writeInt(payload.length);
            out.writeInt((int) crc.getValue());
            out.write(payload);
        }
        Files.write(dir.resolve("alarms.journal.1"), segment.toByteArray());

        Journal.Replay replay = restart();

        assertThat(replay.alarms().get("a").last()).isEqualTo(a);
        assertThat(replay.tornBytes()).isZero();
    }
}
