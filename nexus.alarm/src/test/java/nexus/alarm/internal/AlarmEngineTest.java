package nexus.alarm.internal;

import static nexus.alarm.AlarmFlags.ACKED;
import static nexus.alarm.AlarmFlags.ACTIVE;
import static nexus.alarm.AlarmFlags.ENABLED;
import static nexus.alarm.AlarmFlags.LATCHED;
import static nexus.alarm.AlarmFlags.SHELVED;
import static nexus.alarm.AlarmFlags.VALID;
import static nexus.alarm.internal.Plant.LT101_LO;
import static nexus.alarm.internal.Plant.MODE;
import static nexus.alarm.internal.Plant.P1_FAULT;
import static nexus.alarm.internal.Plant.TT101_HI;
import static nexus.alarm.internal.Plant.TT101_HIHI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmState;
import nexus.alarm.AlarmSummary;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Severity;
import nexus.rma.RmaBackends;

/** The engine over a real registry file and a heap RMA backend, with a clock the test moves. */
class AlarmEngineTest {

    private static final int NORMAL_FLAGS = VALID | ENABLED | ACKED;

    @TempDir
    Path dir;
    private Plant plant;
    private AlarmEngine engine;

    @BeforeEach
    void setUp() {
        plant = new Plant(dir);
        engine = plant.engine(null);
    }

    @AfterEach
    void tearDown() {
        plant.close();
    }

    private static void assertCode(Runnable action, ErrorCode code, String message) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(code)).hasMessageContaining(message);
    }

    @Test
    void valuesInRmaDriveAnAlarmAndItsFlagByteFollowsEveryStep() {
        engine.scan();
        assertThat(plant.flags(TT101_HI)).as("a fresh bank: taken on as NORMAL").isEqualTo(NORMAL_FLAGS);

        plant.write("plant1/line1/tt101", 130.0f);
        plant.advance(100);
        engine.scan();
        assertThat(engine.get(TT101_HI).state()).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(plant.flags(TT101_HI)).isEqualTo(VALID | ENABLED | ACTIVE);
        assertThat(plant.flags(TT101_HIHI)).as("below HIHI").isEqualTo(NORMAL_FLAGS);

        Alarm acked = engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", "on it"));
        assertThat(acked.state()).isEqualTo(AlarmState.ACKED_ALARM);
        assertThat(acked.ackUser()).isEqualTo("alice");
        assertThat(plant.flags(TT101_HI)).as("written at once, not at the next scan").isEqualTo(VALID | ENABLED | ACTIVE | ACKED);

        plant.write("plant1/line1/tt101", 117.0f);
        plant.advance(100);
        engine.scan();
        assertThat(engine.get(TT101_HI).state()).isEqualTo(AlarmState.NORMAL);
        assertThat(plant.flags(TT101_HI)).isEqualTo(NORMAL_FLAGS);
        assertThat(plant.events).extracting(AlarmEvent::type)
                .containsExactly(AlarmEventType.ACTIVATED, AlarmEventType.ACKNOWLEDGED, AlarmEventType.CLEARED);
        Alarm normal = engine.get(TT101_HI);
        assertThat(normal.timeInAlarm(Instant.ofEpochMilli(plant.now))).isEqualTo(Duration.ofMillis(100));
        assertThat(normal.value()).isEqualTo(117.0f);
        assertThat(normal.tag()).isEqualTo("plant1/line1/tt101");
    }

    @Test
    void eachScanIsOneBatchedReadOfEveryWatchedTag() {
        engine.scan();
        Plant.CountingBackend backend = plant.counting();
        int readsBefore = backend.batchedReads.get();
        int blocksBefore = backend.blocksRead.get();

        engine.scan();

        assertThat(backend.batchedReads.get() - readsBefore).isEqualTo(1);
        assertThat(backend.blocksRead.get() - blocksBefore)
                .as("four tags within a few bytes and five flag bytes: one block in each bank").isEqualTo(2);
    }

    @Test
    void flagBytesThatChangeTogetherAreWrittenAsOneRange() {
        engine.scan();
        plant.counting().clearWrites();
        plant.write("plant1/line1/tt101", 150.0f);
        plant.write("plant1/line1/lt101", 5.0f);
        plant.counting().clearWrites();

        plant.advance(100);
        engine.scan();

        assertThat(plant.counting().writes).as("HI, HIHI, LO flags are bytes 0, 1, 2 of bank alarms")
                .containsExactly(new int[] { 1, 0, 3 });
        assertThat(plant.flags(TT101_HIHI)).isEqualTo(VALID | ENABLED | ACTIVE);
        assertThat(plant.flags(LT101_LO)).isEqualTo(VALID | ENABLED | ACTIVE);
    }

    @Test
    void aFlagByteWrittenBySomeoneElseIsWrittenBackAtTheNextScan() {
        plant.write("plant1/line1/tt101", 130.0f);
        engine.scan();
        var flags = plant.alarm(TT101_HI).flags();
        plant.backend.write(flags.bank(), flags.byteOffset(), new byte[] { (byte) NORMAL_FLAGS }, 0, 1);

        engine.scan();

        assertThat(plant.flags(TT101_HI)).isEqualTo(VALID | ENABLED | ACTIVE);
        assertThat(engine.get(TT101_HI).state()).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(plant.events).extracting(AlarmEvent::type).containsExactly(AlarmEventType.ACTIVATED);
    }

    @Test
    void badInputIsRefusedWithAClearErrorAndChangesNothing() {
        plant.write("plant1/line1/tt101", 130.0f);
        engine.scan();
        Alarm before = engine.get(TT101_HI);
        int flags = plant.flags(TT101_HI);
        int events = plant.events.size();

        assertCode(() -> engine.act("plant1/nope", AlarmAction.ACKNOWLEDGE, Plant.by("alice", null)),
                ErrorCode.ALARM_NOT_FOUND, "no alarm is named 'plant1/nope'");
        assertCode(() -> engine.get("plant1/nope"), ErrorCode.ALARM_NOT_FOUND, "plant1/nope");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by(null, null)),
                ErrorCode.INVALID_ARGUMENT, "the user is missing");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("  ", null)),
                ErrorCode.INVALID_ARGUMENT, "the user is missing");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("x".repeat(129), null)),
                ErrorCode.INVALID_ARGUMENT, "the most is 128");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", "c".repeat(1025))),
                ErrorCode.INVALID_ARGUMENT, "the most is 1024");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.SHELVE, Plant.shelveBy("alice", null, Duration.ofMinutes(61))),
                ErrorCode.INVALID_ARGUMENT, "cannot shelve alarm 'plant1/line1/tt101/hi' for 61 minutes: its maximum"
                        + " shelve time is 1 hour");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.SHELVE, Plant.shelveBy("alice", null, Duration.ZERO)),
                ErrorCode.INVALID_ARGUMENT, "positive duration");
        assertCode(() -> engine.act(P1_FAULT, AlarmAction.SHELVE, Plant.shelveBy("alice", null, Duration.ofMinutes(1))),
                ErrorCode.INVALID_ARGUMENT, "its maximum shelve time is 0");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.RESET, Plant.by("alice", null)),
                ErrorCode.CONFLICT, "alarm 'plant1/line1/tt101/hi' is UNACK_ALARM:");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.UNSHELVE, Plant.by("alice", null)),
                ErrorCode.CONFLICT, "is UNACK_ALARM: it is not shelved");

        assertThat(engine.get(TT101_HI)).isEqualTo(before);
        assertThat(plant.flags(TT101_HI)).isEqualTo(flags);
        assertThat(plant.events).hasSize(events);
    }

    @Test
    void beforeTheFirstScanOrWithoutABackendNothingIsClaimed() {
        assertCode(() -> engine.list(AlarmFilter.ALL), ErrorCode.BACKEND_UNAVAILABLE, "not known yet");
        plant.backend = null;
        engine.scan();
        assertCode(() -> engine.get(TT101_HI), ErrorCode.BACKEND_UNAVAILABLE, "no RMA backend");
        assertThat(engine.status().ready()).isFalse();
        assertThat(engine.status().reason()).contains("no RMA backend");
    }

    @Test
    void anActionWithoutABackendIsRefusedAndChangesNothing() {
        plant.write("plant1/line1/tt101", 130.0f);
        engine.scan();
        var backend = plant.backend;
        plant.backend = null;

        assertCode(() -> engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null)),
                ErrorCode.BACKEND_UNAVAILABLE, "was not changed");

        plant.backend = backend;
        assertThat(engine.get(TT101_HI).state()).isEqualTo(AlarmState.UNACK_ALARM);
    }

    @Test
    void listsFilterByStateSeverityAndPrefix() {
        plant.write("plant1/line1/tt101", 150.0f);
        plant.write("plant1/line2/mode", (short) 3);
        engine.scan();

        assertThat(engine.list(AlarmFilter.ALL)).extracting(Alarm::name).as("name order").containsExactly(
                "plant1/line1/lt101/lo", TT101_HI, TT101_HIHI, MODE, P1_FAULT);
        assertThat(engine.list(new AlarmFilter(Set.of(AlarmState.UNACK_ALARM), null, null))).extracting(Alarm::name)
                .containsExactly(TT101_HI, TT101_HIHI);
        assertThat(engine.list(new AlarmFilter(EnumSet.of(AlarmState.ACKED_ALARM), null, null))).extracting(Alarm::name)
                .as("needs no acknowledgement").containsExactly(MODE);
        assertThat(engine.list(new AlarmFilter(null, Set.of(Severity.CRITICAL, Severity.LOW), null)))
                .extracting(Alarm::name).containsExactly(TT101_HIHI, MODE);
        assertThat(engine.list(new AlarmFilter(null, null, "plant1/line2/"))).extracting(Alarm::name)
                .containsExactly(MODE, P1_FAULT);
        assertThat(engine.list(new AlarmFilter(null, null, "plant1/line1/tt101"))).hasSize(2);
    }

    @Test
    void disabledAndOutOfServiceAlarmsAreNotEvaluated() {
        engine.scan();
        engine.act(TT101_HI, AlarmAction.DISABLE, Plant.by("eng", null));
        engine.act(TT101_HIHI, AlarmAction.REMOVE_FROM_SERVICE, Plant.by("maint", null));
        assertThat(plant.flags(TT101_HI)).isEqualTo(VALID | ACKED);

        plant.write("plant1/line1/tt101", 150.0f);
        engine.scan();

        assertThat(engine.get(TT101_HI).state()).isEqualTo(AlarmState.OUT_OF_SERVICE);
        assertThat(engine.get(TT101_HIHI).state()).isEqualTo(AlarmState.OUT_OF_SERVICE);
        assertThat(plant.events).extracting(AlarmEvent::type).doesNotContain(AlarmEventType.ACTIVATED);
    }

    @Test
    void aLatchedAlarmIsHeldInRmaUntilReset() {
        plant.write("plant1/line1/lt101", 5.0f);
        engine.scan();
        plant.write("plant1/line1/lt101", 50.0f);
        engine.scan();
        assertThat(plant.flags(LT101_LO)).isEqualTo(VALID | ENABLED | LATCHED);

        engine.act(LT101_LO, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        Alarm reset = engine.act(LT101_LO, AlarmAction.RESET, Plant.by("alice", "refilled"));

        assertThat(reset.state()).isEqualTo(AlarmState.NORMAL);
        assertThat(plant.flags(LT101_LO)).isEqualTo(NORMAL_FLAGS);
    }

    // ---- restarts ----

    @Test
    void aRestartTakesStateFromRmaFlagsAndTimestampsFromTheSnapshot() throws Exception {
        SnapshotStore store = new SnapshotStore(dir.resolve("alarms.snapshot"));
        AlarmEngine first = plant.engine(store);
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        Instant activated = Instant.ofEpochMilli(plant.now);
        plant.advance(5000);
        first.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", "on it"));
        first.checkpoint(plant.now);

        plant.advance(60_000);
        AlarmEngine second = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        second.scan();

        Alarm alarm = second.get(TT101_HI);
        assertThat(alarm.state()).isEqualTo(AlarmState.ACKED_ALARM);
        assertThat(alarm.activatedAt()).isEqualTo(activated);
        assertThat(alarm.ackedAt()).isEqualTo(activated.plusSeconds(5));
        assertThat(alarm.ackUser()).isEqualTo("alice");
        assertThat(alarm.ackComment()).isEqualTo("on it");
        assertThat(alarm.unknown()).isEmpty();
        assertThat(alarm.sequence()).as("the sequence carries on").isEqualTo(2);

        plant.write("plant1/line1/tt101", 20.0f);
        second.scan();
        assertThat(plant.events.get(plant.events.size() - 1).sequence()).isEqualTo(3);
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
    void aFlagByteTheJournalDoesNotExplainKeepsItsStateWithTimestampsUnknown() {
        SnapshotStore store = new SnapshotStore(dir.resolve("alarms.snapshot"));
        AlarmEngine first = plant.engine(store);
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        first.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        plant.write("plant1/line1/tt101", 20.0f);
        first.scan();
        assertThat(first.get(TT101_HI).state()).isEqualTo(AlarmState.NORMAL);
        var flags = plant.alarm(TT101_HI).flags();
        plant.backend.write(flags.bank(), flags.byteOffset(), new byte[] { (byte) (VALID | ENABLED | ACTIVE) }, 0, 1);
        plant.write("plant1/line1/tt101", 130.0f);

        AlarmEngine restarted = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        restarted.scan();

        Alarm alarm = restarted.get(TT101_HI);
        assertThat(alarm.state()).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(alarm.activatedAt()).isNull();
        assertThat(alarm.ackUser()).isNull();
        assertThat(alarm.unknown()).containsExactly("activatedAt");
        assertThat(alarm.sequence()).isEqualTo(3);
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
    void whatTheJournalKnewSurvivesAStartOnAnEmptyBackendBeforeTheRealOneArrives() {
        Path file = dir.resolve("alarms.snapshot");
        AlarmEngine first = plant.engine(new SnapshotStore(file));
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        Alarm acked = first.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        var mmap = plant.backend;
        plant.backend = RmaBackends.heap(plant.registry.banks()); // the default heap, before etc/ names the mmap file
        plant.write("plant1/line1/lt101", 50.0f);

        AlarmEngine second = plant.engine(new SnapshotStore(file));
        second.scan();
        assertThat(second.checkpoint(plant.now)).isTrue();
        AlarmEngine third = plant.engine(new SnapshotStore(file)); // and a crash before the mmap file arrived
        plant.backend = mmap;
        second.scan();
        third.scan();

        assertThat(second.get(TT101_HI)).usingRecursiveComparison().ignoringFields("value").isEqualTo(acked);
        assertThat(third.get(TT101_HI)).usingRecursiveComparison().ignoringFields("value").isEqualTo(acked);
    }

    @Test
    void afterAPowerLossTheJournalWinsOverAFlagByteTheMappedFileLostTrackOf() {
        AlarmEngine first = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot"), Journal.Channels.DEFAULT,
                "boot-1"));
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        Alarm acked = first.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", "seen"));
        var flags = plant.alarm(TT101_HI).flags();
        // the page with the acknowledged byte never reached the disk: the file holds an older byte
        plant.backend.write(flags.bank(), flags.byteOffset(), new byte[] { (byte) (VALID | ENABLED | ACKED) }, 0, 1);

        AlarmEngine restarted = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot"), Journal.Channels.DEFAULT,
                "boot-2"));
        restarted.scan();

        assertThat(restarted.get(TT101_HI)).usingRecursiveComparison().ignoringFields("value").isEqualTo(acked);
        assertThat(plant.flags(TT101_HI)).as("written back from the journal").isEqualTo(acked.flags());
    }

    @Test
    void withoutASnapshotTimestampsAreReportedUnknownNeverInvented() {
        plant.write("plant1/line1/tt101", 130.0f);
        engine.scan();
        engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));

        AlarmEngine restarted = plant.engine(null);
        restarted.scan();

        Alarm alarm = restarted.get(TT101_HI);
        assertThat(alarm.state()).isEqualTo(AlarmState.ACKED_ALARM);
        assertThat(alarm.activatedAt()).isNull();
        assertThat(alarm.ackedAt()).isNull();
        assertThat(alarm.ackUser()).isNull();
        assertThat(alarm.unknown()).containsExactlyInAnyOrder("activatedAt", "ackedAt");
        assertThat(alarm.timeToAck()).isNull();
        assertThat(restarted.get(TT101_HIHI).unknown()).as("a NORMAL alarm has nothing to recover").isEmpty();
    }

    @Test
    void aSnapshotWhoseJournalIsLostGivesNoTimestampsEvenWhenTheFlagsAgree() throws Exception {
        SnapshotStore store = new SnapshotStore(dir.resolve("alarms.snapshot"));
        AlarmEngine first = plant.engine(store);
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        first.checkpoint(plant.now);
        plant.write("plant1/line1/tt101", 20.0f);
        first.scan();
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        try (var files = Files.list(dir)) {
            for (Path segment : files.filter(f -> f.getFileName().toString().startsWith("alarms.journal.")).toList()) {
                Files.delete(segment);
            }
        }

        AlarmEngine second = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        second.scan();

        Alarm alarm = second.get(TT101_HI);
        assertThat(alarm.state()).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(alarm.activatedAt()).isNull();
        assertThat(alarm.unknown()).containsExactly("activatedAt");
    }

    @Test
    void aCorruptSnapshotIsReportedAndIgnored() throws Exception {
        plant.write("plant1/line1/tt101", 130.0f);
        engine.scan();
        Path file = dir.resolve("alarms.snapshot");
        AlarmEngine first = plant.engine(new SnapshotStore(file));
        first.scan();
        assertThat(first.checkpoint(plant.now)).isTrue();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);

        SnapshotStore reread = new SnapshotStore(file);
        AlarmEngine restarted = plant.engine(reread);
        restarted.scan();

        assertThat(reread.problem()).contains("is damaged: its checksum does not match");
        assertThat(restarted.get(TT101_HI).state()).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(restarted.get(TT101_HI).unknown()).containsExactly("activatedAt");
    }

    @Test
    void aShelveWhoseEndIsUnknownAfterARestartEndsAtTheFirstScan() {
        plant.write("plant1/line1/tt101", 130.0f);
        engine.scan();
        engine.act(TT101_HI, AlarmAction.SHELVE, Plant.shelveBy("alice", null, Duration.ofMinutes(30)));
        assertThat(plant.flags(TT101_HI) & SHELVED).isNotZero();
        plant.events.clear();

        AlarmEngine restarted = plant.engine(null);
        restarted.scan();

        assertThat(restarted.get(TT101_HI).state()).as("unshelved like a timer: unacknowledged")
                .isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(plant.events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(AlarmEventType.UNSHELVED);
            assertThat(e.comment()).isEqualTo("shelve end unknown after a restart");
        });
    }

    @Test
    void aNewBackendGetsEveryAlarmsFlags() {
        plant.write("plant1/line1/tt101", 130.0f);
        engine.scan();
        var fresh = RmaBackends.heap(plant.registry.banks());
        fresh.write(plant.registry.tag("plant1/line1/tt101").orElseThrow().allocation(), 130.0f);
        fresh.write(plant.registry.tag("plant1/line1/lt101").orElseThrow().allocation(), 50.0f);
        plant.backend = fresh;

        engine.scan();

        assertThat(plant.flags(fresh, TT101_HI)).isEqualTo(VALID | ENABLED | ACTIVE);
        assertThat(plant.flags(fresh, MODE)).isEqualTo(NORMAL_FLAGS);
        assertThat(plant.events).extracting(AlarmEvent::type).as("no transition invented by the swap")
                .containsExactly(AlarmEventType.ACTIVATED);
    }

    @Test
    void flagsThatCannotBeWrittenAreReportedAndRetried() {
        var processOnly = RmaBackends.heap(plant.registry.banks().subList(0, 1));
        plant.backend = processOnly;
        processOnly.write(plant.registry.tag("plant1/line1/tt101").orElseThrow().allocation(), 130.0f);
        processOnly.write(plant.registry.tag("plant1/line1/lt101").orElseThrow().allocation(), 50.0f);

        engine.scan();

        assertThat(engine.status().flagProblem()).contains("alarm flag bytes at bank 1 byte 0 cannot be written");
        assertThat(engine.get(TT101_HI).state()).as("still evaluated").isEqualTo(AlarmState.UNACK_ALARM);

        var both = RmaBackends.heap(plant.registry.banks());
        both.write(plant.registry.tag("plant1/line1/tt101").orElseThrow().allocation(), 130.0f);
        both.write(plant.registry.tag("plant1/line1/lt101").orElseThrow().allocation(), 50.0f);
        plant.backend = both;
        engine.scan();
        assertThat(engine.status().flagProblem()).isNull();
        assertThat(plant.flags(both, TT101_HI)).isEqualTo(VALID | ENABLED | ACTIVE);
    }

    // ---- registry versions ----

    @Test
    void aNewRegistryVersionKeepsTheStateOfAlarmsThatRemain() {
        plant.write("plant1/line1/tt101", 130.0f);
        engine.scan();
        engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        String changed = Plant.LIST.replace("\"limit\": 120,", "\"limit\": 125,")
                .replace("{\"name\": \"plant1/line2/p1/fault\", \"tag\": \"plant1/line2/p1/fault\", \"condition\": \"TRUE\", \"severity\": \"HIGH\"},",
                        "");
        try (var next = Plant.open(dir, "next", changed)) {
            plant.served = Plant.asVersion(next, 2);

            engine.scan();

            Alarm alarm = engine.get(TT101_HI);
            assertThat(alarm.state()).isEqualTo(AlarmState.ACKED_ALARM);
            assertThat(alarm.ackUser()).isEqualTo("alice");
            assertThat(alarm.definition().limit()).isEqualTo(125.0);
            assertCode(() -> engine.get(P1_FAULT), ErrorCode.ALARM_NOT_FOUND, P1_FAULT);
            assertThat(engine.summary(List.of()).registryVersion()).isEqualTo(2);
        }
    }

    @Test
    void aDifferentRegistryServedAsTheSameVersionIsFollowed() {
        engine.scan();
        assertThat(engine.list(AlarmFilter.ALL)).hasSize(5);
        String three = Plant.LIST.replaceAll(",\\s*\\{\"name\": \"plant1/line2/mode/manual\"[^}]*\\}", "")
                .replaceAll(",\\s*\\{\"name\": \"plant1/line2/p1/fault\"[^}]*\\}", "");
        try (var other = Plant.open(dir, "other", three)) {
            assertThat(other.version()).as("a registry file served as version 1 again")
                    .isEqualTo(plant.registry.version());
            plant.served = other;

            engine.scan();

            assertThat(engine.list(AlarmFilter.ALL)).extracting(Alarm::name)
                    .containsExactly(LT101_LO, TT101_HI, TT101_HIHI);
        }
    }

    @Test
    void anAlarmRemovedAndDefinedAgainCarriesOnItsSequenceNumbers() {
        plant.write("plant1/line2/p1/fault", true);
        engine.scan();
        engine.act(P1_FAULT, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        String without = Plant.LIST.replaceAll(",\\s*\\{\"name\": \"plant1/line2/p1/fault\"[^}]*\\}", "");
        try (var next = Plant.open(dir, "next", without)) {
            plant.served = next;
            engine.scan();
            assertCode(() -> engine.get(P1_FAULT), ErrorCode.ALARM_NOT_FOUND, P1_FAULT);

            plant.served = plant.registry;
            engine.scan();
            engine.scan();
        }

        assertThat(plant.events).last().satisfies(e -> {
            assertThat(e.alarm()).isEqualTo(P1_FAULT);
            assertThat(e.type()).isEqualTo(AlarmEventType.ACTIVATED);
            assertThat(e.sequence()).as("after 1 and 2, never 1 again").isEqualTo(3);
        });
    }

    private static final String HEAD_ALARM_ADDED = Plant.LIST.replace("\"alarms\": [", "\"alarms\": [ {\"name\":"
            + " \"plant1/line2/mode/auto\", \"tag\": \"plant1/line2/mode\", \"condition\": \"EQ\", \"limit\": 1,"
            + " \"severity\": \"LOW\", \"requiresAck\": false},");

    @Test
    void anAlarmMovedToAnotherFlagByteKeepsItsOperatorStateAcrossACleanStop() {
        AlarmEngine first = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        first.scan();
        Alarm disabled = first.act(LT101_LO, AlarmAction.DISABLE, Plant.by("alice", "maintenance"));
        first.checkpoint(plant.now);
        try (var next = Plant.open(dir, "next", HEAD_ALARM_ADDED)) {
            int moved = next.alarms().stream().filter(a -> a.name().equals(LT101_LO)).findFirst().orElseThrow().flags()
                    .byteOffset();
            assertThat(moved).as("the new head alarm shifts every flag byte").isNotEqualTo(
                    plant.alarm(LT101_LO).flags().byteOffset());
            plant.served = Plant.asVersion(next, 2);
            first.scan();
            plant.advance(60_000);
            assertThat(first.checkpoint(plant.now)).as("a clean stop: the list changed, so a snapshot is written")
                    .isTrue();

            AlarmEngine restarted = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
            restarted.scan();

            Alarm after = restarted.get(LT101_LO);
            assertThat(after.state()).isEqualTo(disabled.state());
            assertThat(after.flags()).isEqualTo(disabled.flags());
            assertThat(after.unknown()).isEmpty();
            assertThat(after.sequence()).isEqualTo(disabled.sequence());
        }
    }

    @Test
    void anAlarmMovedToAnotherFlagByteIsJournaledAtItsNewPlaceBeforeACrash() {
        AlarmEngine first = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        first.scan();
        plant.write("plant1/line1/tt101", 130.0f);
        plant.advance(1000);
        first.scan();
        Alarm acked = first.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        first.checkpoint(plant.now);
        try (var next = Plant.open(dir, "next", HEAD_ALARM_ADDED)) {
            plant.served = Plant.asVersion(next, 2);
            first.scan();

            // kill -9: no checkpoint after the new version
            AlarmEngine restarted = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
            restarted.scan();

            Alarm after = restarted.get(TT101_HI);
            assertThat(after.state()).isEqualTo(AlarmState.ACKED_ALARM);
            assertThat(after.ackUser()).isEqualTo("alice");
            assertThat(after.activatedAt()).isEqualTo(acked.activatedAt());
            assertThat(after.unknown()).isEmpty();
        }
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

    // ---- KPIs ----

    @Test
    void kpisCountBySeverityAndSpotFloodsAndChattering() {
        AlarmEngine kpis = plant.engine(new AlarmEngine.Settings(100, 3, 60_000, 3, 256, 4096), null);
        kpis.scan();
        for (int i = 0; i < 3; i++) {
            plant.write("plant1/line2/p1/fault", true);
            plant.advance(1000);
            kpis.scan();
            plant.write("plant1/line2/p1/fault", false);
            plant.advance(1000);
            kpis.scan();
        }
        plant.write("plant1/line1/tt101", 150.0f);
        kpis.scan();
        kpis.act(TT101_HI, AlarmAction.SHELVE, Plant.shelveBy("alice", null, Duration.ofMinutes(5)));

        AlarmSummary summary = kpis.summary(List.of());

        assertThat(summary.alarms()).isEqualTo(5);
        assertThat(summary.active()).containsEntry(Severity.CRITICAL, 1).containsEntry(Severity.HIGH, 0);
        assertThat(summary.unacknowledged()).containsEntry(Severity.CRITICAL, 1).containsEntry(Severity.HIGH, 1);
        assertThat(summary.shelved()).containsEntry(Severity.HIGH, 1);
        assertThat(summary.activations10m()).isEqualTo(5);
        assertThat(summary.flood()).as("5 activations > threshold 3").isTrue();
        assertThat(summary.chattering()).containsExactly(P1_FAULT);
        assertThat(summary.scan().scans()).isEqualTo(8);

        plant.advance(10 * 60_000);
        AlarmSummary later = kpis.summary(List.of());
        assertThat(later.activations10m()).isZero();
        assertThat(later.flood()).isFalse();
        assertThat(later.chattering()).isEmpty();
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

    @Test
    void anAlarmAddedWhileRunningStartsNormalEvenOnAByteAnotherAlarmLeftBehind() {
        engine.scan();
        engine.act(TT101_HIHI, AlarmAction.DISABLE, Plant.by("eng", null));
        assertThat(plant.flags(TT101_HIHI)).isEqualTo(VALID | ACKED);
        String inserted = Plant.LIST.replace("""
                {"name": "plant1/line1/tt101/hihi",""", """
                {"name": "plant1/line1/tt101/hi2", "tag": "plant1/line1/tt101", "condition": "HI", "limit": 130},
                               {"name": "plant1/line1/tt101/hihi",""");
        try (var next = Plant.open(dir, "next", inserted)) {
            plant.served = Plant.asVersion(next, 2);

            engine.scan();

            assertThat(engine.get("plant1/line1/tt101/hi2").state()).as("not the disabled alarm's old byte")
                    .isEqualTo(AlarmState.NORMAL);
            assertThat(engine.get(TT101_HIHI).state()).as("the moved alarm keeps its own state")
                    .isEqualTo(AlarmState.OUT_OF_SERVICE);
            var flags = next.alarms().stream().filter(a -> a.name().equals("plant1/line1/tt101/hi2")).findFirst()
                    .orElseThrow().flags();
            BlockReadHelper.assertByte(plant.backend, flags.bank(), flags.byteOffset(), VALID | ENABLED | ACKED);
        }
    }

    @Test
    void aRemovedAlarmsFlagByteIsClearedUnlessSomethingElseUsesIt() {
        engine.scan();
        var manual = plant.alarm(MODE).flags();
        assertThat(plant.flags(MODE)).isEqualTo(NORMAL_FLAGS);
        String removed = Plant.LIST.replaceAll(",\\s*\\{\"name\": \"plant1/line2/mode/manual\"[^}]*\\}", "");
        assertThat(removed).doesNotContain("mode/manual");
        try (var next = Plant.open(dir, "next", removed)) {
            plant.served = Plant.asVersion(next, 2);

            engine.scan();

            BlockReadHelper.assertByte(plant.backend, manual.bank(), manual.byteOffset(), 0);
            assertThat(plant.flags(TT101_HI)).as("the others untouched").isEqualTo(NORMAL_FLAGS);
        }
    }

    @Test
    void anAlarmWhoseFlagByteCannotBeReadYetWaitsUnevaluatedAndIsNotOverwritten() {
        BusyBackend busy = new BusyBackend(RmaBackends.heap(plant.registry.banks()));
        var flags = plant.alarm(TT101_HI).flags();
        busy.write(flags.bank(), flags.byteOffset(), new byte[] { (byte) (VALID | ENABLED | ACTIVE | ACKED) }, 0, 1);
        busy.write(plant.registry.tag("plant1/line1/tt101").orElseThrow().allocation(), 130.0f);
        busy.write(plant.registry.tag("plant1/line1/lt101").orElseThrow().allocation(), 50.0f);
        plant.backend = busy;
        busy.busy = true;

        engine.scan();

        assertCode(() -> engine.get(TT101_HI), ErrorCode.BACKEND_UNAVAILABLE, "flag byte cannot be read");
        assertThat(engine.list(AlarmFilter.ALL)).isEmpty();
        assertThat(plant.events).isEmpty();
        busy.busy = false;
        assertThat(plant.flags(busy, TT101_HI)).as("not overwritten").isEqualTo(VALID | ENABLED | ACTIVE | ACKED);

        engine.scan();

        assertThat(engine.get(TT101_HI).state()).isEqualTo(AlarmState.ACKED_ALARM);
        assertThat(plant.events).as("its state was taken, not re-invented").isEmpty();
    }

    @Test
    void alarmsThatStartedFreshAreTakenFromANewBackendInsteadOfOverwritingIt() {
        engine.scan();
        var persisted = RmaBackends.heap(plant.registry.banks());
        var flags = plant.alarm(TT101_HI).flags();
        persisted.write(flags.bank(), flags.byteOffset(), new byte[] { (byte) (VALID | ENABLED | ACTIVE | ACKED) }, 0, 1);
        persisted.write(plant.registry.tag("plant1/line1/tt101").orElseThrow().allocation(), 130.0f);
        persisted.write(plant.registry.tag("plant1/line1/lt101").orElseThrow().allocation(), 50.0f);
        plant.backend = persisted;

        engine.scan();

        assertThat(engine.get(TT101_HI).state()).isEqualTo(AlarmState.ACKED_ALARM);
        assertThat(plant.flags(persisted, TT101_HI)).isEqualTo(VALID | ENABLED | ACTIVE | ACKED);
    }

    @Test
    void sequenceNumbersCarryOnFromTheSnapshotEvenWhenTheFlagsStartFresh() throws Exception {
        SnapshotStore store = new SnapshotStore(dir.resolve("alarms.snapshot"));
        AlarmEngine first = plant.engine(store);
        plant.write("plant1/line1/tt101", 130.0f);
        first.scan();
        first.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        first.checkpoint(plant.now);
        plant.backend = RmaBackends.heap(plant.registry.banks());
        plant.write("plant1/line1/lt101", 50.0f);
        plant.events.clear();

        AlarmEngine second = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        second.scan();
        plant.write("plant1/line1/tt101", 131.0f);
        second.scan();

        assertThat(plant.events).singleElement().satisfies(e -> assertThat(e.sequence()).isEqualTo(3));
    }

    @Test
    void aFlagByteTheSnapshotSawAtAnotherPlaceIsNotThisAlarmsState() throws Exception {
        var flags = plant.alarm(TT101_HI).flags();
        Snapshot.write(dir.resolve("alarms.snapshot"), plant.now, java.util.List.of(new Snapshot.Entry(TT101_HI,
                VALID | ENABLED | ACTIVE | ACKED, flags.bank(), flags.byteOffset() + 7, 1, 2, AlarmRecord.NONE,
                AlarmRecord.NONE, false, "alice", null, null, null, 4)));
        plant.backend.write(flags.bank(), flags.byteOffset(), new byte[] { (byte) (VALID | ENABLED | ACTIVE | ACKED) }, 0, 1);

        AlarmEngine started = plant.engine(new SnapshotStore(dir.resolve("alarms.snapshot")));
        started.scan();

        assertThat(started.get(TT101_HI).state()).isEqualTo(AlarmState.NORMAL);
        assertThat(started.get(TT101_HI).sequence()).isEqualTo(4);
    }

    /** A heap backend whose alarm bank is busy (CONTENDED) while {@link #busy} is set. */
    private static final class BusyBackend extends Plant.Delegating {
        volatile boolean busy;

        BusyBackend(nexus.rma.RmaBackend heap) {
            super(heap);
        }

        @Override
        public void read(nexus.rma.BlockRead block) {
            if (busy && block.bank() == 1) {
                block.fail(nexus.rma.ReadStatus.CONTENDED);
            } else {
                heap.read(block);
            }
        }
    }

    /** Reads one byte of RMA for an assertion. */
    private static final class BlockReadHelper {
        static void assertByte(nexus.rma.RmaBackend backend, int bank, int offset, int expected) {
            var read = new nexus.rma.BlockRead(1).target(bank, offset, 1);
            backend.read(read);
            assertThat(read.ok()).isTrue();
            assertThat(read.data()[0] & 0xFF).as("byte %d of bank %d", offset, bank).isEqualTo(expected);
        }
    }
}
