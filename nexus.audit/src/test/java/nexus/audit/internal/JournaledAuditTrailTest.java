package nexus.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.AuditRecord;
import nexus.core.AuditSink;
import nexus.core.ErrorCode;
import nexus.core.HealthStatus;
import nexus.core.NexusException;

class JournaledAuditTrailTest {

    @TempDir
    Path home;

    private final Disk disk = new Disk();
    private final List<JournaledAuditTrail> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(JournaledAuditTrail::close);
    }

    private Path dir() {
        return home.resolve("data/audit");
    }

    private JournaledAuditTrail trail(long fileMaxBytes, int filesKeep) {
        JournaledAuditTrail trail = new JournaledAuditTrail(new JournalSettings(dir(), fileMaxBytes, filesKeep),
                InstantSource.system(), disk);
        opened.add(trail);
        return trail;
    }

    private JournaledAuditTrail trail() {
        return trail(1 << 20, 10);
    }

    /** A restart: the trail closes and a new one opens the same folder. */
    private JournaledAuditTrail restart(JournaledAuditTrail before) {
        before.close();
        return trail();
    }

    private TreeMap<Long, Path> files() throws IOException {
        return JournalFiles.list(dir());
    }

    private List<String> lines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path file : files().values()) {
            lines.addAll(Files.readAllLines(file));
        }
        return lines;
    }

    private static long sequenceOf(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return AuditLine.sequence(bytes, 0, bytes.length);
    }

    @Test
    void anAppendReturnsOnlyOnceItsRecordIsSyncedAndThenHandedToTheSinks() throws IOException {
        JournaledAuditTrail trail = trail();
        trail.addSink(record -> disk.log.add("sink " + record.sequence()), "test");

        AuditRecord appended = trail.append(Records.write(1));
        disk.log.add("returned");

        assertThat(appended.sequence()).isEqualTo(1);
        assertThat(appended.time()).isNotNull();
        assertThat(disk.log).containsExactly("write", "sync", "sink 1", "returned");
        assertThat(lines()).singleElement().satisfies(line -> {
            assertThat(sequenceOf(line)).isEqualTo(1);
            assertThat(line).contains("\"name\":\"site1/line9/tank1/setpoint\"");
        });
        assertThat(files().firstKey()).isEqualTo(1);
    }

    @Test
    void aRestartContinuesTheSequences() throws IOException {
        JournaledAuditTrail trail = trail();
        for (int i = 0; i < 3; i++) {
            trail.append(Records.write(i));
        }

        JournaledAuditTrail again = restart(trail);

        assertThat(again.append(Records.write(9)).sequence()).isEqualTo(4);
        assertThat(lines()).extracting(JournaledAuditTrailTest::sequenceOf).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aTornLastLineIsCutOffAndReportedAndNeverReadAsARecord() throws IOException {
        JournaledAuditTrail trail = trail();
        for (int i = 0; i < 3; i++) {
            trail.append(Records.write(i));
        }
        trail.close();
        Path file = files().lastEntry().getValue();
        String torn = new String(AuditLine.encode(Records.write(3).appended(4, java.time.Instant.now())),
                StandardCharsets.UTF_8).substring(0, 60); // a crash in the middle of record 4's write
        Files.writeString(file, torn, StandardOpenOption.APPEND);

        JournaledAuditTrail again = trail();
        again.probe();

        assertThat(again.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(again.health().detail()).contains("60 bytes of a record torn by a crash cut off at start");
        assertThat(again.health().data()).containsEntry("cutBytes", 60L).containsEntry("lastSequence", 3L);
        assertThat(Files.readString(file)).doesNotContain(torn).endsWith("\"}\n");
        assertThat(again.append(Records.write(4)).sequence()).isEqualTo(4); // record 4 was never answered
        assertThat(lines()).extracting(JournaledAuditTrailTest::sequenceOf).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aDamagedLineBetweenGoodOnesIsReportedKeptAndNotRead() throws IOException {
        JournaledAuditTrail trail = trail();
        for (int i = 0; i < 3; i++) {
            trail.append(Records.write(i));
        }
        trail.close();
        Path file = files().lastEntry().getValue();
        List<String> lines = Files.readAllLines(file);
        lines.set(1, lines.get(1).replace("\"after\":23.0", "\"after\":99.0")); // changed on disk
        Files.write(file, lines);

        JournaledAuditTrail again = trail();
        again.probe();

        assertThat(again.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(again.health().detail()).contains("1 damaged lines found at start, kept and not read ("
                + file.getFileName() + " line 2 (byte " + (lines.get(0).length() + 1) + "))");
        assertThat(again.health().data()).containsEntry("damagedLines", 1);
        assertThat(Files.readAllLines(file)).hasSize(3).contains(lines.get(1));
        assertThat(again.append(Records.write(3)).sequence()).isEqualTo(4);
    }

    @Test
    void filesRotateBySizeAndOnlyTheNewestAreKept() throws IOException {
        int lineBytes = AuditLine.encode(Records.write(10).appended(10, java.time.Instant.now())).length;
        JournaledAuditTrail trail = trail(4L * lineBytes, 3); // about four records a file
        for (int i = 0; i < 40; i++) {
            trail.append(Records.write(10 + i % 10));
        }

        TreeMap<Long, Path> files = files();
        assertThat(files).hasSize(3);
        List<Long> sequences = lines().stream().map(JournaledAuditTrailTest::sequenceOf).toList();
        assertThat(sequences).first().isEqualTo(files.firstKey());
        assertThat(sequences).last().isEqualTo(40L);
        for (int i = 1; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).isEqualTo(sequences.get(i - 1) + 1);
        }
        for (var file : files.entrySet()) {
            assertThat(sequenceOf(Files.readAllLines(file.getValue()).get(0))).isEqualTo(file.getKey());
        }

        assertThat(restart(trail).append(Records.write(1)).sequence()).isEqualTo(41);
    }

    @Test
    void aFolderThatCannotBeCreatedRefusesAppendsUntilItCanThenRecovers() throws IOException {
        Files.createDirectories(dir().getParent());
        Files.writeString(dir(), "not a folder");
        JournaledAuditTrail trail = trail();

        assertThatThrownBy(() -> trail.append(Records.write(1))).isInstanceOfSatisfying(NexusException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
            assertThat(e.getMessage()).isEqualTo("the audit journal cannot be written (" + dir() + " is in the way: it"
                    + " is a file, not a folder): nothing was recorded and nothing was done; try again once the"
                    + " journal's disk is fixed");
        });
        assertThat(trail.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(trail.health().detail()).startsWith("cannot write the audit journal in " + dir() + " since ")
                .endsWith("is in the way: it is a file, not a folder; writes and alarm actions are refused (503) until"
                        + " it works again");
        assertThat(trail.failing()).isTrue();

        Files.delete(dir());
        trail.probe();

        assertThat(trail.failing()).isFalse();
        assertThat(trail.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(trail.append(Records.write(1)).sequence()).isEqualTo(1);
        assertThat(metric(trail, "nexus_audit_append_failures_total")).isEqualTo(1);
        assertThat(metric(trail, "nexus_audit_records_appended_total")).isEqualTo(1);
    }

    @Test
    void aFullDiskRefusesTheAppendLeavesNothingOfItAndTheSequenceGoesToTheNextRecord() throws IOException {
        JournaledAuditTrail trail = trail();
        List<AuditRecord> received = Collections.synchronizedList(new ArrayList<>());
        trail.addSink(received::add, "test");
        trail.append(Records.write(1));
        disk.full = true;

        assertThatThrownBy(() -> trail.append(Records.write(2))).isInstanceOfSatisfying(NexusException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
            assertThat(e.getMessage()).contains("(No space left on device)");
        });
        assertThat(trail.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(trail.health().detail()).contains("No space left on device");

        disk.full = false;
        AuditRecord next = trail.append(Records.write(3));

        assertThat(next.sequence()).isEqualTo(2);
        assertThat(trail.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(lines()).hasSize(2).allSatisfy(line -> assertThat(sequenceOf(line)).isPositive());
        assertThat(lines().get(1)).contains("tank3");
        assertThat(received).extracting(AuditRecord::sequence).containsExactly(1L, 2L);
    }

    @Test
    void aFailedSyncRefusesTheAppendAndItsRecordDoesNotStay() throws IOException {
        JournaledAuditTrail trail = trail();
        trail.append(Records.write(1));
        disk.syncFails = true;

        assertThatThrownBy(() -> trail.append(Records.write(2))).isInstanceOf(NexusException.class)
                .hasMessageContaining("(Input/output error)");

        disk.syncFails = false;
        trail.probe();
        assertThat(lines()).hasSize(1);
        assertThat(trail.append(Records.write(3)).sequence()).isEqualTo(2);
    }

    @Test
    void aJournalFolderRemovedUnderTheTrailIsNoticedAndANewFileStarted() throws IOException {
        JournaledAuditTrail trail = trail();
        trail.append(Records.write(1));
        for (Path file : files().values()) {
            Files.delete(file);
        }
        Files.delete(dir());

        assertThatThrownBy(() -> trail.append(Records.write(2))).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.getMessage()).contains("the journal file was removed"));
        AuditRecord next = trail.append(Records.write(3));

        assertThat(next.sequence()).isEqualTo(2);
        assertThat(files()).containsOnlyKeys(2L);
        assertThat(lines()).extracting(JournaledAuditTrailTest::sequenceOf).containsExactly(2L);
    }

    @Test
    void concurrentAppendsAllLandWithDistinctIncreasingSequences() throws Exception {
        JournaledAuditTrail trail = trail();
        List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        trail.addSink(record -> delivered.add(record.sequence()), "test");
        int threads = 8;
        int each = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    mine.add(trail.append(Records.write(thread * 1000 + i)).sequence());
                }
                return mine;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            List<Long> mine = result.get(60, TimeUnit.SECONDS);
            assertThat(mine).isSorted().doesNotHaveDuplicates();
            all.addAll(mine);
        }
        pool.shutdown();

        int total = threads * each;
        assertThat(all).hasSize(total).doesNotHaveDuplicates().allMatch(s -> s >= 1 && s <= total);
        assertThat(lines()).extracting(JournaledAuditTrailTest::sequenceOf)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(delivered).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
    }

    @Test
    void appendsQueuedDuringASyncShareTheNextOne() throws Exception {
        JournaledAuditTrail trail = trail();
        trail.probe();
        disk.holdNextSync();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Future<AuditRecord> first = pool.submit(() -> trail.append(Records.write(0)));
        assertThat(disk.held.await(30, TimeUnit.SECONDS)).isTrue();
        List<Future<AuditRecord>> queued = new ArrayList<>();
        for (int i = 1; i < 8; i++) {
            int n = i;
            queued.add(pool.submit(() -> trail.append(Records.write(n))));
        }
        Await.until("seven appends wait behind the held sync", () -> trail.waiting() == 7);

        disk.release();

        assertThat(first.get(30, TimeUnit.SECONDS).sequence()).isEqualTo(1);
        for (Future<AuditRecord> record : queued) {
            assertThat(record.get(30, TimeUnit.SECONDS).sequence()).isBetween(2L, 8L);
        }
        pool.shutdown();
        assertThat(disk.syncs.get()).isEqualTo(2);
        assertThat(metric(trail, "nexus_audit_syncs_total")).isEqualTo(2);
        assertThat(metric(trail, "nexus_audit_records_appended_total")).isEqualTo(8);
    }

    @Test
    void aSinkThatThrowsIsCountedAndTheOthersAndTheAppendAreNotDisturbed() {
        JournaledAuditTrail trail = trail();
        List<AuditRecord> received = new ArrayList<>();
        AuditSink broken = record -> {
            throw new IllegalStateException("broken sink");
        };
        trail.addSink(broken, "broken");
        trail.addSink(received::add, "good");

        AuditRecord appended = trail.append(Records.write(1));

        assertThat(appended.sequence()).isEqualTo(1);
        assertThat(received).containsExactly(appended);
        assertThat(trail.dropped("broken")).isEqualTo(1);
        assertThat(trail.metrics()).filteredOn(f -> f.name().equals("nexus_audit_sink_records_dropped_total"))
                .singleElement().satisfies(f -> assertThat(f.samples()).extracting(s -> s.labels().get("sink") + "=" + s.value())
                        .containsExactly("broken=1.0", "good=0.0"));

        trail.removeSink(broken);
        trail.append(Records.write(2));
        assertThat(trail.dropped("broken")).isEqualTo(1);
        assertThat(received).hasSize(2);
    }

    @Test
    void aRecordTooLongIsRefusedAloneAndTakesNoSequence() throws IOException {
        JournaledAuditTrail trail = trail();
        AuditRecord huge = Records.write("t", null, "x".repeat(AuditLine.MAX_BYTES));

        assertThatThrownBy(() -> trail.append(huge)).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(trail.append(Records.write(1)).sequence()).isEqualTo(1);
        assertThat(lines()).hasSize(1);
    }

    @Test
    void aNewFolderGoesOnFromTheHighestSequenceSeen() throws IOException {
        JournaledAuditTrail trail = trail();
        for (int i = 0; i < 5; i++) {
            trail.append(Records.write(i));
        }
        Path other = home.resolve("elsewhere");

        trail.settings(new JournalSettings(other, 1 << 20, 10));

        assertThat(trail.append(Records.write(1)).sequence()).isEqualTo(6);
        assertThat(JournalFiles.list(other)).containsOnlyKeys(6L);
        assertThat(trail.health().data()).containsEntry("dir", other.toString());
    }

    @Test
    void anAppendAfterCloseIsRefusedAndChangesNothing() throws IOException {
        JournaledAuditTrail trail = trail();
        trail.append(Records.write(1));
        trail.close();

        assertThatThrownBy(() -> trail.append(Records.write(2))).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE));
        assertThat(lines()).hasSize(1);
    }

    @Test
    void beforeTheJournalIsOpenTheHealthSaysSo() {
        JournaledAuditTrail trail = trail();

        assertThat(trail.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(trail.health().detail()).isEqualTo("opening the audit journal in " + dir());

        trail.probe();
        assertThat(trail.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(trail.health().detail()).isEqualTo("journal in " + dir() + ", last sequence 0, 0 appended since start");
    }

    private static double metric(JournaledAuditTrail trail, String name) {
        return trail.metrics().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().samples().get(0)
                .value();
    }
}
