package nexus.alarm.internal;

import static nexus.alarm.AlarmFlags.ACKED;
import static nexus.alarm.AlarmFlags.ACTIVE;
import static nexus.alarm.AlarmFlags.ENABLED;
import static nexus.alarm.AlarmFlags.VALID;
import static nexus.alarm.internal.Plant.LT101_LO;
import static nexus.alarm.internal.Plant.P1_FAULT;
import static nexus.alarm.internal.Plant.TT101_HI;
import static nexus.alarm.internal.Plant.TT101_HIHI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmState;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** The journal before anything leaves: crashes, journal outages, group commits and checkpoints, through the engine over a real registry file. */
class DurabilityTest {

    @TempDir
    Path dir;
    private Plant plant;

    @BeforeEach
    void setUp() {
        plant = new Plant(dir);
    }

    @AfterEach
    void tearDown() {
        plant.close();
    }

    private static void assertCode(Runnable action, ErrorCode code, String message) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(code)).hasMessageContaining(message);
    }

    // ---- crashes: nothing restored is shown as known unless it is (issue 11, defects 2 and 3) ----

    @Test
    void aCrashAfterANewOccurrenceNeverBringsBackTheEarlierOccurrencesAcknowledgement() {
        SnapshotStore store = new SnapshotStore(dir.resolve("alarms.snapshot"));
        AlarmEngine first = plant.engine(store);
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        first.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        first.checkpoint(plant.now);
        plant.advance(500);
        plant.write("plant1/line1/tt101", 20.0f);
        first.scan();
        plant.advance(500);
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        Instant reactivated = Instant.ofEpochMilli(plant.now);
        plant.advance(500);
        Alarm answered = first.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("eve", "second time"));
        assertThat(answered.sequence()).isEqualTo(5);

        // kill -9: nothing more is saved; the flag bytes stay in RMA
        plant.advance(60_000);
        AlarmEngine restarted = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        restarted.scan();

        Alarm alarm = restarted.get(TT101_HI);
        assertThat(alarm.state()).isEqualTo(AlarmState.ACKED_ALARM);
        assertThat(alarm.ackUser()).isEqualTo("eve");
        assertThat(alarm.ackComment()).isEqualTo("second time");
        assertThat(alarm.activatedAt()).isEqualTo(reactivated);
        assertThat(alarm.ackedAt()).isEqualTo(reactivated.plusMillis(500));
        assertThat(alarm.unknown()).isEmpty();
        assertThat(alarm.sequence()).as("never back from 5").isEqualTo(5);
    }

    @Test
    void aCrashAfterAReactivationWithoutOperatorNeverBringsBackTheOldActivationTime() {
        SnapshotStore store = new SnapshotStore(dir.resolve("alarms.snapshot"));
        AlarmEngine first = plant.engine(store);
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        Instant firstActivation = Instant.ofEpochMilli(plant.now);
        first.checkpoint(plant.now);
        plant.advance(700);
        plant.write("plant1/line1/tt101", 20.0f);
        first.scan();
        plant.advance(700);
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        Instant reactivated = Instant.ofEpochMilli(plant.now);

        AlarmEngine restarted = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        restarted.scan();

        Alarm alarm = restarted.get(TT101_HI);
        assertThat(alarm.state()).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(alarm.activatedAt()).isNotEqualTo(firstActivation).isEqualTo(reactivated);
        assertThat(alarm.unknown()).isEmpty();
        assertThat(alarm.sequence()).isEqualTo(3);
    }

    @Test
    void aCrashDuringAJournalOutageNeverBringsBackTheEarlierOccurrencesAcknowledgement() {
        FullDisk disk = new FullDisk();
        AlarmEngine first = plant.engine(plant.store(disk));
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        plant.advance(1000);
        first.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        disk.full = true;
        plant.advance(1000);
        plant.write("plant1/line1/tt101", 20.0f);
        first.scan();
        plant.advance(1000);
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        assertThat(first.get(TT101_HI).state()).as("annunciated while the disk is full").isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(plant.flags(TT101_HI)).isEqualTo(VALID | ENABLED | ACTIVE);

        // kill -9; space is freed before the restart
        AlarmEngine restarted = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        restarted.scan();

        Alarm alarm = restarted.get(TT101_HI);
        assertThat(alarm.state()).as("a new, unacknowledged occurrence").isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(alarm.ackUser()).isNull();
        assertThat(alarm.activatedAt()).isNull();
        assertThat(alarm.unknown()).containsExactly("activatedAt");
    }

    @Test
    void eventsOfTransitionsTheJournalCannotTakeWaitAndNoPublishedSequenceIsReusedAfterACrash() {
        FullDisk disk = new FullDisk();
        AlarmEngine first = plant.engine(plant.store(disk));
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        assertThat(plant.events).extracting(AlarmEvent::sequence).containsExactly(1L);
        disk.full = true;
        for (float value : new float[] { 20.0f, 130.0f, 20.0f }) {
            plant.advance(1000);
            plant.write("plant1/line1/tt101", value);
            first.scan();
        }
        assertThat(plant.events).as("nothing leaves before its commit").hasSize(1);
        assertThat(first.get(TT101_HI).sequence()).isEqualTo(4);

        disk.full = false;
        plant.advance(1000);
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        assertThat(plant.events).as("the waiting events leave, in order, once committed")
                .extracting(AlarmEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);

        disk.full = true;
        plant.advance(1000);
        plant.write("plant1/line1/tt101", 20.0f);
        first.scan();
        long published = plant.events.stream().mapToLong(AlarmEvent::sequence).max().orElseThrow();

        // kill -9 during the second outage; the disk takes writes after the restart
        AlarmEngine restarted = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        plant.events.clear();
        restarted.scan();
        plant.advance(1000);
        plant.write("plant1/line1/tt101", 130.0f);
        restarted.scan();
        assertThat(restarted.get(TT101_HI).sequence()).isGreaterThanOrEqualTo(published);
        assertThat(plant.events).filteredOn(e -> e.alarm().equals(TT101_HI)).isNotEmpty()
                .allSatisfy(e -> assertThat(e.sequence()).as("never a published sequence again").isGreaterThan(published));
    }

    @Test
    void anActionAfterAJournalOutageCommitsTheWaitingTransitionsBeforeItsOwnEventLeaves() {
        FullDisk disk = new FullDisk();
        AlarmEngine first = plant.engine(plant.store(disk));
        first.scan();
        disk.full = true;
        plant.write("plant1/line1/tt101", 150.0f);
        plant.advance(1000);
        first.scan();
        assertThat(plant.events).isEmpty();

        disk.full = false;
        plant.advance(1000);
        first.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        assertThat(plant.events).extracting(e -> e.alarm() + " " + e.sequence()).containsExactly(TT101_HI + " 1",
                TT101_HIHI + " 1", TT101_HI + " 2");

        AlarmEngine restarted = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        restarted.scan();
        assertThat(restarted.get(TT101_HIHI).unknown()).as("committed with the action").isEmpty();
        assertThat(restarted.get(TT101_HIHI).sequence()).isEqualTo(1);
    }

    @Test
    void actionsAnsweredJustBeforeACrashComeBackWithTheirUsersTimesAndShelves() {
        SnapshotStore store = new SnapshotStore(dir.resolve("alarms.snapshot"));
        AlarmEngine first = plant.engine(store);
        first.scan();
        first.checkpoint(plant.now);
        plant.write("plant1/line1/tt101", 150.0f);
        plant.write("plant1/line2/p1/fault", true);
        plant.advance(100);
        first.scan();
        plant.advance(100);
        Alarm acked = first.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", "seen"));
        Alarm shelved = first.act(TT101_HIHI, AlarmAction.SHELVE, Plant.shelveBy("bob", "sensor swap", Duration.ofMinutes(5)));
        Alarm disabled = first.act(P1_FAULT, AlarmAction.DISABLE, Plant.by("carol", "pump out"));
        plant.events.clear();

        plant.advance(1000);
        AlarmEngine restarted = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        restarted.scan();

        assertThat(restarted.get(TT101_HI)).usingRecursiveComparison().ignoringFields("value").isEqualTo(acked);
        assertThat(restarted.get(TT101_HIHI)).usingRecursiveComparison().ignoringFields("value").isEqualTo(shelved);
        assertThat(restarted.get(P1_FAULT)).usingRecursiveComparison().ignoringFields("value").isEqualTo(disabled);
        assertThat(plant.events).as("the shelve is not lost: nothing re-annunciates").isEmpty();

        plant.write("plant1/line1/tt101", 20.0f);
        plant.advance(100);
        restarted.scan();
        assertThat(plant.events).filteredOn(e -> e.alarm().equals(TT101_HI)).singleElement()
                .satisfies(e -> assertThat(e.sequence()).as("sequences carry on, never backwards")
                        .isEqualTo(acked.sequence() + 1));
    }

    @Test
    void anActionWhoseJournalCannotBeWrittenIsRefusedWith503AndChangesNothing() {
        FullDisk disk = new FullDisk();
        AlarmEngine durable = plant.engine(plant.store(disk));
        plant.write("plant1/line1/tt101", 130.0f);
        durable.scan();
        Alarm before = durable.get(TT101_HI);
        int flags = plant.flags(TT101_HI);
        int events = plant.events.size();
        disk.full = true;

        assertCode(() -> durable.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null)),
                ErrorCode.BACKEND_UNAVAILABLE, "the alarm journal cannot be written");
        assertCode(() -> durable.act(TT101_HI, AlarmAction.SHELVE, Plant.shelveBy("alice", null, Duration.ofMinutes(5))),
                ErrorCode.BACKEND_UNAVAILABLE, "so alarm 'plant1/line1/tt101/hi' was not changed");

        assertThat(durable.get(TT101_HI)).isEqualTo(before);
        assertThat(plant.flags(TT101_HI)).isEqualTo(flags);
        assertThat(plant.events).hasSize(events);
        assertThat(durable.status().journalProblem()).contains("No space left on device");

        plant.write("plant1/line1/tt101", 150.0f);
        durable.scan();
        assertThat(durable.get(TT101_HIHI).state()).as("an alarm annunciates whatever the disk does")
                .isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(plant.flags(TT101_HIHI)).isEqualTo(VALID | ENABLED | ACTIVE);

        disk.full = false;
        plant.advance(1000);
        Alarm acked = durable.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        durable.scan();
        assertThat(durable.status().journalProblem()).isNull();

        AlarmEngine restarted = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        restarted.scan();
        assertThat(restarted.get(TT101_HI).ackUser()).isEqualTo("alice");
        assertThat(restarted.get(TT101_HI).sequence()).isEqualTo(acked.sequence());
        assertThat(restarted.get(TT101_HIHI).unknown()).as("committed once the disk took it again").isEmpty();
        assertThat(restarted.get(TT101_HIHI).activatedAt()).isEqualTo(durable.get(TT101_HIHI).activatedAt());
    }

    @Test
    void concurrentActionsShareOneFsync() throws Exception {
        FullDisk disk = new FullDisk();
        AlarmEngine shared = plant.engine(plant.store(disk));
        plant.write("plant1/line1/tt101", 150.0f);
        plant.write("plant1/line1/lt101", 5.0f);
        plant.write("plant1/line2/p1/fault", true);
        shared.scan();
        int forces = disk.dataForces.get();
        disk.holdForce = new java.util.concurrent.CountDownLatch(1);
        var release = disk.holdForce;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var first = pool.submit(() -> shared.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null)));
            assertThat(disk.forceHeld.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the first commit is in its fsync")
                    .isTrue();
            List<java.util.concurrent.Future<Alarm>> others = new java.util.ArrayList<>();
            for (String name : List.of(TT101_HIHI, LT101_LO, P1_FAULT)) {
                others.add(pool.submit(() -> shared.act(name, AlarmAction.ACKNOWLEDGE, Plant.by("bob", null))));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (shared.queuedActions() < 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(shared.queuedActions()).as("three actions wait behind the first commit").isEqualTo(3);
            release.countDown();

            assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).ackUser()).isEqualTo("alice");
            for (var other : others) {
                assertThat(other.get(10, java.util.concurrent.TimeUnit.SECONDS).state()).isEqualTo(AlarmState.ACKED_ALARM);
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(disk.dataForces.get() - forces).as("four actions, two group commits").isEqualTo(2);
        assertThat(((MemoryAuditTrail) plant.audit).records).as("each action audited once, before its answer")
                .extracting(r -> r.name()).containsExactlyInAnyOrder(TT101_HI, TT101_HIHI, LT101_LO, P1_FAULT);
    }

    @Test
    void aJournalFailureIsToldToClientsWithoutFileNames() {
        assertThat(Durability.plainCause(new java.io.IOException("/home/n/data/alarms.journal.40: Too many open files")))
                .isEqualTo("the node has too many open files");
        assertThat(Durability.plainCause(new java.io.IOException("No space left on device"))).isEqualTo("the disk is full");
        assertThat(Durability.plainCause(new java.nio.file.AccessDeniedException("/home/n/data/alarms.journal.3")))
                .isEqualTo("permission denied");
        assertThat(Durability.plainCause(new java.io.IOException("/home/n/data/x: something odd")))
                .isEqualTo("an input/output error");
    }

    // ---- review findings: state never invented, never overwritten unread ----

    @Test
    void beforeItHasItsAlarmsTheEngineWritesNoSnapshot() throws Exception {
        Path file = dir.resolve("alarms.snapshot");
        Snapshot.write(file, 1, List.of(new Snapshot.Entry("kept", VALID | ENABLED | ACKED, 1, 9, AlarmRecord.NONE,
                AlarmRecord.NONE, AlarmRecord.NONE, AlarmRecord.NONE, false, null, null, null, null, 3)));
        AlarmEngine waiting = plant.engine(new SnapshotStore(file));
        plant.backend = null;
        waiting.scan();

        assertThat(waiting.snapshotEntries()).isNull();
        assertThat(waiting.checkpoint(plant.now)).isFalse();
        assertThat(Snapshot.read(file).entries()).containsKey("kept");
    }

    @Test
    void aCheckpointIsWrittenOnlyWhenSomethingChanged() throws Exception {
        Path file = dir.resolve("alarms.snapshot");
        AlarmEngine checkpointed = plant.engine(new SnapshotStore(file));
        checkpointed.scan();
        assertThat(checkpointed.checkpoint(1)).isTrue();

        assertThat(checkpointed.checkpoint(2)).isFalse();
        plant.write("plant1/line1/tt101", 130.0f);
        checkpointed.scan();
        assertThat(checkpointed.checkpoint(3)).isTrue();
        assertThat(Snapshot.read(file).writtenAt()).isEqualTo(3);
    }
}
