package nexus.alarm.internal;

import static nexus.alarm.AlarmEventType.ACKNOWLEDGED;
import static nexus.alarm.AlarmEventType.ACTIVATED;
import static nexus.alarm.AlarmEventType.CLEARED;
import static nexus.alarm.AlarmEventType.DISABLED;
import static nexus.alarm.AlarmEventType.ENABLED;
import static nexus.alarm.AlarmEventType.REMOVED_FROM_SERVICE;
import static nexus.alarm.AlarmEventType.RESET;
import static nexus.alarm.AlarmEventType.RETURNED_TO_SERVICE;
import static nexus.alarm.AlarmEventType.SHELVED;
import static nexus.alarm.AlarmEventType.SUPPRESSED;
import static nexus.alarm.AlarmEventType.UNSHELVED;
import static nexus.alarm.AlarmEventType.UNSUPPRESSED;
import static nexus.alarm.AlarmState.ACKED_ALARM;
import static nexus.alarm.AlarmState.NORMAL;
import static nexus.alarm.AlarmState.OUT_OF_SERVICE;
import static nexus.alarm.AlarmState.RTN_UNACK;
import static nexus.alarm.AlarmState.UNACK_ALARM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmFlags;
import nexus.alarm.AlarmState;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.AlarmCondition;
import nexus.registry.AlarmDefinition;
import nexus.core.Severity;
import nexus.rma.Allocation;
import nexus.rma.RmaType;

/**
 * The ISA-18.2 transition table, one behaviour per test, on the plain state machine with a clock the
 * test moves ({@link #at}); the values go through {@link Condition} as the scan's do.
 */
class AlarmStateMachineTest {

    private final List<AlarmEvent> events = new ArrayList<>();
    private final AlarmStateMachine machine = new AlarmStateMachine(events::add, 3);
    private long now = 1_000_000;

    /** A HI alarm at 100 with deadband 5; requires an acknowledgement, no delays, max shelve 1 h. */
    private static Def hi() {
        return new Def();
    }

    private static final class Def {
        AlarmCondition condition = AlarmCondition.HI;
        Double limit = 100.0;
        double deadband = 5;
        boolean requiresAck = true;
        boolean latching;
        long onDelay;
        long offDelay;
        long maxShelve = 3600;

        Def condition(AlarmCondition c, Double l) {
            condition = c;
            limit = l;
            deadband = 0;
            return this;
        }

        Def deadband(double d) {
            deadband = d;
            return this;
        }

        Def noAck() {
            requiresAck = false;
            return this;
        }

        Def latching() {
            latching = true;
            return this;
        }

        Def delays(long on, long off) {
            onDelay = on;
            offDelay = off;
            return this;
        }

        Def maxShelve(long seconds) {
            maxShelve = seconds;
            return this;
        }

        AlarmRecord record() {
            AlarmDefinition definition = new AlarmDefinition(1, "tt101_hi", 7, condition, limit, deadband, Severity.HIGH,
                    requiresAck, latching, onDelay, offDelay, maxShelve, "Reactor inlet temperature high",
                    Allocation.of(1, 0, RmaType.UINT8));
            return new AlarmRecord(definition, "plant1/line1/tt101",
                    condition == AlarmCondition.TRUE || condition == AlarmCondition.FALSE ? RmaType.BOOL : RmaType.FLOAT32, 0,
                    0, 0, 0, 0);
        }
    }

    private AlarmStateMachineTest at(long millis) {
        now = 1_000_000 + millis;
        return this;
    }

    /** One scan of the alarm with this value, as the engine does it. */
    private void scan(AlarmRecord a, double value) {
        a.value(value);
        if (a.has(AlarmFlags.SHELVED)) {
            machine.expireShelve(a, now, now);
        }
        machine.evaluate(a, a.condition(value), now, now);
    }

    private AlarmEvent last() {
        return events.get(events.size() - 1);
    }

    private static void assertConflict(Runnable action, String state) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT)).hasMessageContaining("is " + state + ":");
    }

    // ---- activation and delays ----

    @Test
    void aNewAlarmIsNormalWithNothingToAcknowledge() {
        AlarmRecord a = hi().record();

        assertThat(a.state()).isEqualTo(NORMAL);
        assertThat(a.flags()).isEqualTo(AlarmFlags.VALID | AlarmFlags.ENABLED | AlarmFlags.ACKED);
    }

    @Test
    void activatesWhenTheConditionIsPresentAndEmitsOneEvent() {
        AlarmRecord a = hi().record();

        scan(a, 100);
        assertThat(a.state()).as("at the limit is not above it").isEqualTo(NORMAL);
        scan(a, 100.5);

        assertThat(a.state()).isEqualTo(UNACK_ALARM);
        assertThat(a.flags()).isEqualTo(AlarmFlags.VALID | AlarmFlags.ENABLED | AlarmFlags.ACTIVE);
        assertThat(events).hasSize(1);
        AlarmEvent e = last();
        assertThat(e.type()).isEqualTo(ACTIVATED);
        assertThat(e.kind()).isEqualTo(AlarmEvent.Kind.ALARM);
        assertThat(e.before()).isEqualTo(NORMAL);
        assertThat(e.after()).isEqualTo(UNACK_ALARM);
        assertThat(e.value()).as("a FLOAT32 tag: a Float").isEqualTo(100.5f);
        assertThat(e.sequence()).isEqualTo(1);
        assertThat(e.alarm()).isEqualTo("tt101_hi");
        assertThat(e.tag()).isEqualTo("plant1/line1/tt101");
        assertThat(e.severity()).isEqualTo(Severity.HIGH);
        assertThat(e.message()).isEqualTo("Reactor inlet temperature high");
        assertThat(e.time()).isEqualTo(Instant.ofEpochMilli(now));
        assertThat(a.activatedAt()).isEqualTo(now);
    }

    @Test
    void activatesOnlyAfterTheOnDelay() {
        AlarmRecord a = hi().delays(2000, 0).record();

        at(0).scan(a, 120);
        at(1999).scan(a, 120);
        assertThat(a.state()).isEqualTo(NORMAL);
        assertThat(events).isEmpty();

        at(2000).scan(a, 120);
        assertThat(a.state()).isEqualTo(UNACK_ALARM);
        assertThat(a.activatedAt()).isEqualTo(now);
    }

    @Test
    void aConditionThatDropsOutRestartsTheOnDelay() {
        AlarmRecord a = hi().delays(2000, 0).record();

        at(0).scan(a, 120);
        at(1000).scan(a, 90);
        at(1500).scan(a, 120);
        at(3000).scan(a, 120);
        assertThat(a.state()).as("only 1.5 s since the condition came back").isEqualTo(NORMAL);

        at(3500).scan(a, 120);
        assertThat(a.state()).isEqualTo(UNACK_ALARM);
    }

    @Test
    void aValueInsideTheDeadbandAlsoRestartsTheOnDelay() {
        AlarmRecord a = hi().delays(1000, 0).record();

        at(0).scan(a, 101);
        at(600).scan(a, 98);
        at(700).scan(a, 101);
        at(1600).scan(a, 101);

        assertThat(a.state()).isEqualTo(NORMAL);
        at(1700).scan(a, 101);
        assertThat(a.state()).isEqualTo(UNACK_ALARM);
    }

    // ---- clearing: deadband and off-delay ----

    @Test
    void staysInAlarmInsideTheDeadbandAndClearsOutsideIt() {
        AlarmRecord a = hi().record();
        scan(a, 110);

        at(10_000).scan(a, 100);
        at(20_000).scan(a, 95.01);
        assertThat(a.state()).as("between limit - deadband and the limit").isEqualTo(UNACK_ALARM);

        at(30_000).scan(a, 95);
        assertThat(a.state()).isEqualTo(RTN_UNACK);
        assertThat(last().type()).isEqualTo(CLEARED);
        assertThat(last().timeInAlarm()).isEqualTo(Duration.ofSeconds(30));
        assertThat(a.clearedAt()).isEqualTo(now);
        assertThat(a.flags() & AlarmFlags.ACTIVE).isZero();
    }

    @Test
    void clearsOnlyAfterTheOffDelayOutsideTheDeadband() {
        AlarmRecord a = hi().delays(0, 5000).record();
        at(0).scan(a, 110);

        at(1000).scan(a, 90);
        at(3000).scan(a, 97);
        at(4000).scan(a, 90);
        at(8999).scan(a, 90);
        assertThat(a.state()).as("back in the deadband at 3 s: the off-delay starts over at 4 s").isEqualTo(UNACK_ALARM);

        at(9000).scan(a, 90);
        assertThat(a.state()).isEqualTo(RTN_UNACK);
    }

    @Test
    void loAlarmsMirrorTheDeadband() {
        AlarmRecord a = hi().condition(AlarmCondition.LO, 10.0).deadband(2).record();

        scan(a, 9.9);
        assertThat(a.state()).isEqualTo(UNACK_ALARM);
        scan(a, 11.9);
        assertThat(a.state()).isEqualTo(UNACK_ALARM);
        scan(a, 12);
        assertThat(a.state()).isEqualTo(RTN_UNACK);
    }

    @Test
    void anUnknownValueChangesNothingAndRestartsDelays() {
        AlarmRecord a = hi().delays(1000, 0).record();

        at(0).scan(a, 120);
        at(500).scan(a, Double.NaN);
        at(1200).scan(a, 120);
        assertThat(a.state()).isEqualTo(NORMAL);
        at(2200).scan(a, 120);
        assertThat(a.state()).isEqualTo(UNACK_ALARM);

        int before = events.size();
        at(3000).scan(a, Double.NaN);
        assertThat(a.state()).isEqualTo(UNACK_ALARM);
        assertThat(events).hasSize(before);
    }

    // ---- acknowledgement ----

    @Test
    void acknowledgingAnAlarmInAlarmKeepsItInAlarmAndRecordsWhoAndWhen() {
        AlarmRecord a = hi().record();
        at(0).scan(a, 110);

        at(42_000);
        machine.acknowledge(a, "alice", "seen, calling the field operator", now);

        assertThat(a.state()).isEqualTo(ACKED_ALARM);
        assertThat(a.ackUser()).isEqualTo("alice");
        assertThat(a.ackComment()).isEqualTo("seen, calling the field operator");
        assertThat(a.ackedAt()).isEqualTo(now);
        AlarmEvent e = last();
        assertThat(e.type()).isEqualTo(ACKNOWLEDGED);
        assertThat(e.kind()).isEqualTo(AlarmEvent.Kind.AUDIT);
        assertThat(e.user()).isEqualTo("alice");
        assertThat(e.timeToAck()).isEqualTo(Duration.ofSeconds(42));
        assertThat(List.of(e.before(), e.after())).containsExactly(UNACK_ALARM, ACKED_ALARM);

        at(50_000).scan(a, 90);
        assertThat(a.state()).as("acknowledged and cleared").isEqualTo(NORMAL);
    }

    @Test
    void returnToNormalWhileUnacknowledgedThenAcknowledgeIsNormal() {
        AlarmRecord a = hi().record();
        scan(a, 110);
        scan(a, 90);
        assertThat(a.state()).isEqualTo(RTN_UNACK);
        assertThat(last().after()).isEqualTo(RTN_UNACK);

        machine.acknowledge(a, "bob", null, now);

        assertThat(a.state()).isEqualTo(NORMAL);
        assertThat(List.of(last().before(), last().after())).containsExactly(RTN_UNACK, NORMAL);
    }

    @Test
    void reAlarmBeforeAcknowledgementIsANewActivation() {
        AlarmRecord a = hi().record();
        at(0).scan(a, 110);
        at(1000).scan(a, 90);

        at(2000).scan(a, 111);

        assertThat(a.state()).isEqualTo(UNACK_ALARM);
        assertThat(last().type()).isEqualTo(ACTIVATED);
        assertThat(last().before()).isEqualTo(RTN_UNACK);
        assertThat(a.activatedAt()).isEqualTo(now);
        assertThat(a.clearedAt()).isEqualTo(AlarmRecord.NONE);
    }

    @Test
    void acknowledgingWhatWaitsForNoAcknowledgementIsAConflictAndChangesNothing() {
        AlarmRecord a = hi().record();
        assertConflict(() -> machine.acknowledge(a, "alice", null, now), "NORMAL");

        scan(a, 110);
        machine.acknowledge(a, "alice", null, now);
        int flags = a.flags();
        int count = events.size();
        assertConflict(() -> machine.acknowledge(a, "bob", null, now), "ACKED_ALARM");

        assertThat(a.flags()).isEqualTo(flags);
        assertThat(a.ackUser()).isEqualTo("alice");
        assertThat(events).hasSize(count);
    }

    @Test
    void anAlarmThatNeedsNoAcknowledgementGoesStraightToAcknowledged() {
        AlarmRecord a = hi().noAck().record();

        scan(a, 110);
        assertThat(a.state()).isEqualTo(ACKED_ALARM);
        scan(a, 90);
        assertThat(a.state()).isEqualTo(NORMAL);
        assertThat(events).extracting(AlarmEvent::type).containsExactly(ACTIVATED, CLEARED);
    }

    // ---- latching and reset ----

    @Test
    void aLatchingAlarmStaysInAlarmAfterItsConditionClearsUntilAcknowledgedAndReset() {
        AlarmRecord a = hi().latching().record();
        at(0).scan(a, 110);

        at(1000).scan(a, 90);
        assertThat(a.state()).as("held by the latch").isEqualTo(UNACK_ALARM);
        assertThat(a.flags() & (AlarmFlags.ACTIVE | AlarmFlags.LATCHED)).isEqualTo(AlarmFlags.LATCHED);
        assertThat(last().type()).isEqualTo(CLEARED);

        assertConflict(() -> machine.reset(a, "alice", null, now), "UNACK_ALARM");
        machine.acknowledge(a, "alice", null, now);
        assertThat(a.state()).isEqualTo(ACKED_ALARM);

        at(5000);
        machine.reset(a, "alice", "pump checked", now);
        assertThat(a.state()).isEqualTo(NORMAL);
        assertThat(a.flags() & AlarmFlags.LATCHED).isZero();
        AlarmEvent e = last();
        assertThat(e.type()).isEqualTo(RESET);
        assertThat(e.comment()).isEqualTo("pump checked");
        assertThat(e.timeInAlarm()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void resetWhileTheConditionIsPresentIsAConflictNamingTheState() {
        AlarmRecord a = hi().latching().record();
        scan(a, 110);
        machine.acknowledge(a, "alice", null, now);

        assertThatThrownBy(() -> machine.reset(a, "alice", null, now)).isInstanceOf(NexusException.class)
                .hasMessage("alarm 'tt101_hi' is ACKED_ALARM: its condition is still present; reset it once the"
                        + " condition has cleared");
        assertThat(a.state()).isEqualTo(ACKED_ALARM);
    }

    @Test
    void resetOfAnAlarmThatIsNotLatchedIsAConflict() {
        AlarmRecord a = hi().record();
        assertConflict(() -> machine.reset(a, "alice", null, now), "NORMAL");
        scan(a, 110);
        scan(a, 90);
        assertConflict(() -> machine.reset(a, "alice", null, now), "RTN_UNACK");
    }

    @Test
    void aLatchedAlarmWhoseConditionReturnsIsANewUnacknowledgedOccurrence() {
        AlarmRecord a = hi().latching().record();
        scan(a, 110);
        machine.acknowledge(a, "alice", null, now);
        scan(a, 90);
        assertThat(a.state()).isEqualTo(ACKED_ALARM);

        at(9000).scan(a, 110);

        assertThat(a.state()).isEqualTo(UNACK_ALARM);
        assertThat(a.flags() & (AlarmFlags.ACTIVE | AlarmFlags.LATCHED)).isEqualTo(AlarmFlags.ACTIVE);
        assertThat(a.activatedAt()).isEqualTo(now);
    }

    // ---- shelving ----

    @Test
    void aShelvedAlarmIsEvaluatedButShowsShelved() {
        AlarmRecord a = hi().record();
        machine.shelve(a, 600_000, "alice", "sensor being replaced", now, now);
        assertThat(a.state()).isEqualTo(AlarmState.SHELVED);
        assertThat(a.shelvedUntil()).isEqualTo(now + 600_000);
        AlarmEvent shelved = last();
        assertThat(shelved.type()).isEqualTo(SHELVED);
        assertThat(shelved.comment()).isEqualTo("sensor being replaced");

        scan(a, 110);

        assertThat(a.state()).isEqualTo(AlarmState.SHELVED);
        assertThat(a.has(AlarmFlags.ACTIVE)).isTrue();
        assertThat(List.of(last().type(), last().before(), last().after()))
                .containsExactly(ACTIVATED, AlarmState.SHELVED, AlarmState.SHELVED);
        assertConflict(() -> machine.acknowledge(a, "alice", null, now), "SHELVED");
    }

    @Test
    void whenTheShelveTimeRunsOutAnAlarmInAlarmReturnsUnacknowledged() {
        AlarmRecord a = hi().record();
        at(0).scan(a, 110);
        machine.acknowledge(a, "alice", null, now);
        machine.shelve(a, 60_000, "alice", null, now, now);

        at(59_999).scan(a, 110);
        assertThat(a.state()).isEqualTo(AlarmState.SHELVED);
        at(60_000).scan(a, 110);

        assertThat(a.state()).as("IEC 62682 §11.7.3: timer unshelve → unacknowledged").isEqualTo(UNACK_ALARM);
        assertThat(a.ackUser()).isNull();
        AlarmEvent e = events.stream().filter(x -> x.type() == UNSHELVED).findFirst().orElseThrow();
        assertThat(e.kind()).isEqualTo(AlarmEvent.Kind.ALARM);
        assertThat(e.user()).isNull();
        assertThat(e.comment()).isEqualTo("shelve time expired");
        assertThat(List.of(e.before(), e.after())).containsExactly(AlarmState.SHELVED, UNACK_ALARM);
    }

    @Test
    void whenTheShelveTimeRunsOutAnAlarmNotInAlarmIsNormal() {
        AlarmRecord a = hi().record();
        at(0).scan(a, 110);
        machine.shelve(a, 60_000, "alice", null, now, now);
        at(1000).scan(a, 90);

        at(60_000).scan(a, 90);

        assertThat(a.state()).isEqualTo(NORMAL);
    }

    @Test
    void aManualUnshelveReturnsAnAlarmInAlarmAcknowledged() {
        AlarmRecord a = hi().record();
        at(0).scan(a, 110);
        machine.shelve(a, 600_000, "alice", null, now, now);

        at(30_000);
        machine.unshelve(a, "bob", "back from maintenance", now);

        assertThat(a.state()).as("IEC 62682 §11.7.3: manual unshelve → acknowledged").isEqualTo(ACKED_ALARM);
        assertThat(a.ackUser()).isEqualTo("bob");
        assertThat(a.shelvedUntil()).isEqualTo(AlarmRecord.NONE);
        assertThat(List.of(last().type(), last().kind(), last().after()))
                .containsExactly(UNSHELVED, AlarmEvent.Kind.AUDIT, ACKED_ALARM);
        assertThat(last().timeToAck()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void oneShotShelvingEndsWhenTheConditionClears() {
        AlarmRecord a = hi().record();
        assertConflict(() -> machine.shelveOneShot(a, "alice", null, now, now), "NORMAL");

        at(0).scan(a, 110);
        machine.shelveOneShot(a, "alice", "known standing alarm", now, now);
        assertThat(a.oneShot()).isTrue();
        assertThat(a.shelvedUntil()).as("bounded by the maximum").isEqualTo(now + 3_600_000);

        at(5000).scan(a, 90);

        assertThat(a.state()).isEqualTo(NORMAL);
        assertThat(events.subList(events.size() - 2, events.size())).extracting(AlarmEvent::type)
                .containsExactly(CLEARED, UNSHELVED);
        assertThat(last().comment()).isEqualTo("one-shot shelve: the condition cleared");
    }

    @Test
    void oneShotShelvingEndsAtTheMaximumShelveTimeAtTheLatest() {
        AlarmRecord a = hi().maxShelve(60).record();
        at(0).scan(a, 110);
        machine.shelveOneShot(a, "alice", null, now, now);

        at(60_000).scan(a, 110);

        assertThat(a.state()).isEqualTo(UNACK_ALARM);
        assertThat(a.oneShot()).isFalse();
    }

    @Test
    void aLatchedAlarmWhoseConditionClearedCannotBeShelvedOneShot() {
        AlarmRecord a = hi().latching().record();
        scan(a, 110);
        scan(a, 90);

        assertConflict(() -> machine.shelveOneShot(a, "alice", null, now, now), "UNACK_ALARM");
    }

    @Test
    void delaysAndShelvesRunOnTheMonotonicClockNotTheWallClock() {
        AlarmRecord a = hi().delays(2000, 0).record();
        machine.evaluate(a, Condition.PRESENT, now, 0);
        long wallStepsBack = now - 3_600_000;
        machine.evaluate(a, Condition.PRESENT, wallStepsBack, 2000);
        assertThat(a.state()).as("2 s passed on the monotonic clock").isEqualTo(UNACK_ALARM);

        machine.shelve(a, 60_000, "alice", null, now, 10_000);
        assertThat(machine.expireShelve(a, now + 3_600_000, 69_999)).as("a wall step forward does not end it").isFalse();
        assertThat(machine.expireShelve(a, now - 3_600_000, 70_000)).as("a wall step back does not stretch it").isTrue();
    }

    @Test
    void aManualUnshelveOfAnOccurrenceThatClearedUnacknowledgedRecordsTheAcknowledgement() {
        AlarmRecord a = hi().record();
        scan(a, 110);
        machine.shelve(a, 60_000, "alice", null, now, now);
        scan(a, 90);

        machine.unshelve(a, "bob", "seen it come and go", now);

        assertThat(a.state()).isEqualTo(NORMAL);
        assertThat(a.ackUser()).isEqualTo("bob");
        assertThat(last().timeToAck()).isNotNull();
    }

    @Test
    void shelvingTwiceOrOutOfServiceIsAConflict() {
        AlarmRecord a = hi().record();
        machine.shelve(a, 1000, "alice", null, now, now);
        assertConflict(() -> machine.shelve(a, 1000, "alice", null, now, now), "SHELVED");
        machine.unshelve(a, "alice", null, now);
        assertConflict(() -> machine.unshelve(a, "alice", null, now), "NORMAL");

        machine.removeFromService(a, "alice", null, now);
        assertConflict(() -> machine.shelve(a, 1000, "alice", null, now, now), "OUT_OF_SERVICE");
    }

    // ---- suppression ----

    @Test
    void aSuppressedAlarmIsEvaluatedAndShowsWhatHappenedWhenTheSuppressionEnds() {
        AlarmRecord a = hi().record();
        machine.suppress(a, "plant-logic", "line stopped", now);
        assertThat(a.state()).isEqualTo(AlarmState.SUPPRESSED);
        assertConflict(() -> machine.suppress(a, "plant-logic", null, now), "SUPPRESSED");

        scan(a, 110);
        assertThat(a.state()).isEqualTo(AlarmState.SUPPRESSED);

        machine.unsuppress(a, "plant-logic", "line running", now);
        assertThat(a.state()).isEqualTo(UNACK_ALARM);
        assertThat(events).extracting(AlarmEvent::type).containsExactly(SUPPRESSED, ACTIVATED, UNSUPPRESSED);
        assertConflict(() -> machine.unsuppress(a, "plant-logic", null, now), "UNACK_ALARM");
    }

    @Test
    void suppressionDoesNotRestartARunningOnDelay() {
        AlarmRecord a = hi().delays(1000, 0).record();
        at(0).scan(a, 120);
        at(500);
        machine.suppress(a, "plant-logic", null, now);

        at(1000).scan(a, 120);

        assertThat(a.has(AlarmFlags.ACTIVE)).isTrue();
        assertThat(a.state()).isEqualTo(AlarmState.SUPPRESSED);
    }

    // ---- out of service, enable and disable ----

    @Test
    void removingFromServiceEndsTheOccurrenceAndReturningStartsFromNormal() {
        AlarmRecord a = hi().record();
        at(0).scan(a, 110);
        machine.shelve(a, 60_000, "alice", null, now, now);

        at(10_000);
        machine.removeFromService(a, "maint", "transmitter replaced", now);

        assertThat(a.state()).isEqualTo(OUT_OF_SERVICE);
        assertThat(a.flags()).isEqualTo(AlarmFlags.VALID | AlarmFlags.ENABLED | AlarmFlags.ACKED | AlarmFlags.OUT_OF_SERVICE);
        assertThat(a.evaluated()).isFalse();
        assertThat(last().type()).isEqualTo(REMOVED_FROM_SERVICE);
        assertThat(last().before()).isEqualTo(AlarmState.SHELVED);
        assertThat(last().timeInAlarm()).isEqualTo(Duration.ofSeconds(10));
        assertConflict(() -> machine.removeFromService(a, "maint", null, now), "OUT_OF_SERVICE");
        assertConflict(() -> machine.acknowledge(a, "maint", null, now), "OUT_OF_SERVICE");

        machine.returnToService(a, "maint", null, now);
        assertThat(a.state()).isEqualTo(NORMAL);
        assertThat(last().type()).isEqualTo(RETURNED_TO_SERVICE);
        assertConflict(() -> machine.returnToService(a, "maint", null, now), "NORMAL");
    }

    @Test
    void disablingStopsEvaluationAndEnablingStartsFromNormal() {
        AlarmRecord a = hi().record();
        scan(a, 110);

        machine.disable(a, "eng", "instrument removed", now);
        assertThat(a.state()).isEqualTo(OUT_OF_SERVICE);
        assertThat(a.has(AlarmFlags.ENABLED)).isFalse();
        assertThat(a.evaluated()).isFalse();
        assertConflict(() -> machine.disable(a, "eng", null, now), "OUT_OF_SERVICE");
        assertConflict(() -> machine.suppress(a, "eng", null, now), "OUT_OF_SERVICE");

        machine.enable(a, "eng", null, now);
        assertThat(a.state()).isEqualTo(NORMAL);
        assertThat(events).extracting(AlarmEvent::type).containsExactly(ACTIVATED, DISABLED, ENABLED);
        assertConflict(() -> machine.enable(a, "eng", null, now), "NORMAL");

        scan(a, 110);
        assertThat(a.state()).as("evaluated again").isEqualTo(UNACK_ALARM);
    }

    // ---- conditions and bookkeeping ----

    @Test
    void boolAndEqualityConditions() {
        AlarmRecord fault = hi().condition(AlarmCondition.TRUE, null).record();
        scan(fault, 1);
        assertThat(fault.state()).isEqualTo(UNACK_ALARM);
        assertThat(last().value()).isEqualTo(true);
        scan(fault, 0);
        assertThat(fault.state()).isEqualTo(RTN_UNACK);

        AlarmRecord running = hi().condition(AlarmCondition.FALSE, null).record();
        scan(running, 0);
        assertThat(running.state()).isEqualTo(UNACK_ALARM);

        AlarmRecord mode = hi().condition(AlarmCondition.EQ, 3.0).record();
        scan(mode, 2);
        assertThat(mode.state()).isEqualTo(NORMAL);
        scan(mode, 3);
        assertThat(mode.state()).isEqualTo(UNACK_ALARM);

        AlarmRecord notAuto = hi().condition(AlarmCondition.NE, 1.0).record();
        scan(notAuto, 1);
        assertThat(notAuto.state()).isEqualTo(NORMAL);
        scan(notAuto, 4);
        assertThat(notAuto.state()).isEqualTo(UNACK_ALARM);
    }

    @Test
    void everyChangeIsOneEventWithTheNextSequenceNumber() {
        AlarmRecord a = hi().record();
        scan(a, 110);
        machine.acknowledge(a, "alice", null, now);
        scan(a, 90);
        machine.shelve(a, 1000, "alice", null, now, now);
        machine.unshelve(a, "alice", null, now);

        assertThat(events).extracting(AlarmEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(a.sequence()).isEqualTo(5);
    }

    @Test
    void recentActivationsAreKeptForTheChatteringKpi() {
        AlarmRecord a = hi().record();
        for (int i = 0; i < 4; i++) {
            at(i * 1000L).scan(a, 110);
            at(i * 1000L + 500).scan(a, 90);
        }

        assertThat(a.activationCount()).isEqualTo(4);
        assertThat(a.activations()).containsExactlyInAnyOrder(now - 2500, now - 1500, now - 500);
    }
}
