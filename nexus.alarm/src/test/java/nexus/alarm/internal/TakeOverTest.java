package nexus.alarm.internal;

import static nexus.alarm.AlarmFlags.ACKED;
import static nexus.alarm.AlarmFlags.ACTIVE;
import static nexus.alarm.AlarmFlags.ENABLED;
import static nexus.alarm.AlarmFlags.SHELVED;
import static nexus.alarm.AlarmFlags.VALID;
import static nexus.alarm.internal.Plant.MODE;
import static nexus.alarm.internal.Plant.TT101_HI;
import static nexus.alarm.internal.Plant.TT101_HIHI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmState;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.internal.RmaBackends;

/** Taking alarms over from RMA, the snapshot and the journal: restarts, power losses, lost or corrupt files, new backends. */
class TakeOverTest extends EngineTestBase {

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
}
