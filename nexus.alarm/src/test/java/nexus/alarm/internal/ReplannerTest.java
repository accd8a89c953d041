package nexus.alarm.internal;

import static nexus.alarm.AlarmFlags.ACKED;
import static nexus.alarm.AlarmFlags.ENABLED;
import static nexus.alarm.AlarmFlags.VALID;
import static nexus.alarm.internal.Plant.LT101_LO;
import static nexus.alarm.internal.Plant.MODE;
import static nexus.alarm.internal.Plant.P1_FAULT;
import static nexus.alarm.internal.Plant.TT101_HI;
import static nexus.alarm.internal.Plant.TT101_HIHI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmState;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** Following the registry: new versions keep the state of alarms that remain; moved, removed and added alarms and their flag bytes. */
class ReplannerTest extends EngineTestBase {

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
