package nexus.loki.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.Severity;

class SpoolTest {

    @TempDir
    Path dir;

    private static List<Entry> entries(int from, int count) {
        Entries entries = new Entries(Configs.settings(Map.of("url", "http://loki", "node", "n1")));
        List<Entry> list = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            list.add(entries.of(Events.activated(i, "site1/tank" + i + "/level_hi", Severity.HIGH, Events.T0), i));
        }
        return list;
    }

    @Test
    void entriesComeBackInOrderAcrossSegmentsAndAReopen() {
        Spool spool = new Spool(dir, 1 << 20, 1000);
        spool.append(entries(1, 3));
        spool.append(entries(4, 2));

        Spool reopened = new Spool(dir, 1 << 20, 1000);

        assertThat(reopened.entries()).isEqualTo(5);
        assertThat(reopened.lastNumber()).isEqualTo(5);
        List<Entry> first = reopened.peek(10, 1 << 20);
        assertThat(first).extracting(Entry::number).as("one segment at a time").containsExactly(1L, 2L, 3L);
        assertThat(first.get(0)).isEqualTo(entries(1, 1).get(0));
        reopened.commit(first.subList(0, 2));
        assertThat(reopened.entries()).isEqualTo(3);
        List<Entry> third = reopened.peek(10, 1 << 20);
        assertThat(third).extracting(Entry::number).containsExactly(3L);
        reopened.commit(third);
        List<Entry> second = reopened.peek(10, 1 << 20);
        assertThat(second).extracting(Entry::number).containsExactly(4L, 5L);
        reopened.commit(second);
        assertThat(reopened.isEmpty()).isTrue();
        assertThat(dir.toFile().list()).as("shipped segments are deleted").isEmpty();
    }

    @Test
    void aDiscardedSegmentIsNeitherShippedNorCountedAsDropped() {
        Spool spool = new Spool(dir, 1 << 20, 1000);
        List<Entry> copy = entries(1, 3);
        spool.append(copy);
        spool.append(entries(4, 2));

        assertThat(spool.discard(copy)).isTrue();

        assertThat(spool.entries()).isEqualTo(2);
        assertThat(spool.dropped()).isZero();
        assertThat(spool.peek(10, 1 << 20)).extracting(Entry::number).containsExactly(4L, 5L);
        assertThat(new Spool(dir, 1 << 20, 1000).entries()).as("gone from the disk too").isEqualTo(2);
        assertThat(spool.discard(copy)).as("a second time: nothing there").isFalse();
    }

    @Test
    void aPeekRespectsTheBatchLimits() {
        Spool spool = new Spool(dir, 1 << 20, 1000);
        spool.append(entries(1, 10));

        assertThat(spool.peek(4, 1 << 20)).hasSize(4);
        assertThat(spool.peek(100, 1)).as("at least one entry, however small the byte limit").hasSize(1);
    }

    @Test
    void overItsLimitTheSpoolDropsItsOldestSegmentsAndCountsThem() {
        Spool spool = new Spool(dir, 1 << 20, 1000);
        List<Entry> big = entries(1, 2000);
        spool.append(big.subList(0, 1000));
        long segment = spool.bytes();
        Spool small = new Spool(dir.resolve("small"), segment + segment / 2, 1000);
        small.append(big.subList(0, 1000));
        small.append(big.subList(1000, 2000));

        assertThat(small.dropped()).isEqualTo(1000);
        assertThat(small.entries()).isEqualTo(1000);
        assertThat(small.peek(1, 1 << 20).get(0).number()).isEqualTo(1001);
    }

    @Test
    void aLineACrashCutShortIsSkippedAndCounted() throws IOException {
        Spool spool = new Spool(dir, 1 << 20, 1000);
        spool.append(entries(1, 3));
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.findFirst().orElseThrow();
        }
        Files.writeString(segment, "{\"n\": 4, \"ts\": \"17", StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("00000000000000000009.spool.tmp"), "half a segment");

        Spool reopened = new Spool(dir, 1 << 20, 1000);

        assertThat(reopened.corrupt()).isEqualTo(1);
        assertThat(reopened.entries()).isEqualTo(3);
        assertThat(dir.resolve("00000000000000000009.spool.tmp")).as("an unfinished write is removed").doesNotExist();
    }

    @Test
    void aFolderThatCannotBeUsedIsASingleClearError() throws IOException {
        Path file = dir.resolve("file");
        Files.writeString(file, "x");

        assertThatThrownBy(() -> new Spool(file.resolve("spool"), 1 << 20, 1000)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot use the spool folder");
    }

    @Test
    void aBatchWhoseSegmentWasDroppedMeanwhileCommitsNothing() {
        Spool spool = new Spool(dir, 1 << 20, 2);
        spool.append(entries(1, 4));
        List<Entry> batch = spool.peek(2, 1 << 20);
        assertThat(dir.toFile().list()).as("segments of at most 2 entries").hasSize(2);
        long second;
        try (var files = java.nio.file.Files.list(dir)) {
            second = files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(second).isEqualTo(2);
        Spool full = new Spool(dir.resolve("full"), 1, 2);
        full.append(entries(1, 2));
        List<Entry> inFlight = full.peek(2, 1 << 20);
        full.append(entries(3, 2));

        full.commit(inFlight);

        assertThat(full.dropped()).as("the head segment made way").isEqualTo(2);
        assertThat(full.peek(2, 1 << 20)).extracting(Entry::number).as("entries 3 and 4 are not skipped")
                .containsExactly(3L, 4L);
        assertThat(batch).hasSize(2);
    }

    @Test
    void aReadWhileTheThreadIsInterruptedStillReadsEverything() {
        Spool spool = new Spool(dir, 1 << 20, 1000);
        spool.append(entries(1, 3));
        Spool reopened = new Spool(dir, 1 << 20, 1000);

        Thread.currentThread().interrupt();
        List<Entry> read;
        try {
            read = reopened.peek(10, 1 << 20);
        } finally {
            Thread.interrupted();
        }

        assertThat(read).hasSize(3);
        assertThat(dir.toFile().list()).hasSize(1);
    }

    @Test
    void corruptLinesAreCountedOnceAndTheSegmentRewritten() throws IOException {
        Spool spool = new Spool(dir, 1 << 20, 1000);
        spool.append(entries(1, 2));
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.findFirst().orElseThrow();
        }
        Files.writeString(segment, "not json\n", StandardOpenOption.APPEND);

        assertThat(new Spool(dir, 1 << 20, 1000).corrupt()).isEqualTo(1);
        assertThat(new Spool(dir, 1 << 20, 1000).corrupt()).isZero();
        assertThat(new Spool(dir, 1 << 20, 1000).entries()).isEqualTo(2);
    }

    private static List<Entry> audits(int from, int count) {
        Entries entries = new Entries(Configs.settings(Map.of("url", "http://loki", "node", "n1")));
        List<Entry> list = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            list.add(entries.of(Audits.write(i, "site1/tank" + i + "/setpoint", 1.0, 2.0, Events.T0), i));
        }
        return list;
    }

    @Test
    void anAuditRecordsEntryComesBackAsItWentIn() {
        Spool spool = new Spool(dir, 1 << 20, 1000);
        List<Entry> mixed = new ArrayList<>(audits(1, 1));
        mixed.addAll(entries(2, 1));
        spool.append(mixed);

        List<Entry> back = new Spool(dir, 1 << 20, 1000).peek(10, 1 << 20);

        assertThat(back).containsExactlyElementsOf(mixed);
        assertThat(back.get(0).input()).isEqualTo(Entry.Input.AUDIT_RECORD);
        assertThat(back.get(0).alarm()).isNull();
        assertThat(back.get(1).input()).isEqualTo(Entry.Input.ALARM_EVENT);
    }

    @Test
    void auditRecordsDroppedBecauseTheSpoolIsFullAreCountedApart() {
        Spool spool = new Spool(dir, 1 << 20, 1000);
        List<Entry> first = new ArrayList<>(audits(1, 300));
        first.addAll(entries(301, 700));
        spool.append(first);
        long segment = spool.bytes();
        Spool small = new Spool(dir.resolve("small"), segment + segment / 2, 1000);
        small.append(first);
        small.append(entries(1001, 1000));

        assertThat(small.dropped()).isEqualTo(1000);
        assertThat(small.droppedAudit()).isEqualTo(300);
    }
}
