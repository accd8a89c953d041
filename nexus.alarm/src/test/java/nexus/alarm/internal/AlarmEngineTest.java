package nexus.alarm.internal;

import static nexus.alarm.AlarmFlags.ACKED;
import static nexus.alarm.AlarmFlags.ACTIVE;
import static nexus.alarm.AlarmFlags.ENABLED;
import static nexus.alarm.AlarmFlags.LATCHED;
import static nexus.alarm.AlarmFlags.VALID;
import static nexus.alarm.internal.Plant.LT101_LO;
import static nexus.alarm.internal.Plant.MODE;
import static nexus.alarm.internal.Plant.P1_FAULT;
import static nexus.alarm.internal.Plant.TT101_HI;
import static nexus.alarm.internal.Plant.TT101_HIHI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

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
import nexus.rma.internal.RmaBackends;

/** The engine over a real registry file and a heap RMA backend, with a clock the test moves: scans, flag bytes, actions, lists and KPIs. */
class AlarmEngineTest extends EngineTestBase {

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
}
