package nexus.alarm.internal;

import static nexus.alarm.AlarmFlags.ACTIVE;
import static nexus.alarm.AlarmFlags.ENABLED;
import static nexus.alarm.AlarmFlags.VALID;
import static nexus.alarm.internal.Plant.TT101_HI;
import static nexus.alarm.internal.Plant.TT101_HIHI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmState;
import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.core.AuditRecord;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** Every alarm action, done or refused, is one audit record, appended before anything changes; the access policy decides first. */
class ActionAuditTest {

    @TempDir
    Path dir;
    private Plant plant;
    private MemoryAuditTrail trail;
    private ActionAudit actionAudit;
    private AlarmEngine engine;

    @BeforeEach
    void setUp() {
        plant = new Plant(dir);
        trail = (MemoryAuditTrail) plant.audit;
        actionAudit = plant.actionAudit();
        engine = plant.engine(AlarmEngine.Settings.DEFAULTS, null, actionAudit);
        plant.write("plant1/line1/tt101", 130.0f);
        engine.scan();
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
    void aDoneActionIsAuditedOnceWithWhoWhatAndTheStatesBeforeAndAfter() {
        Alarm acked = engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE,
                nexus.alarm.ActionRequest.of(new Caller("alice", null, "http 10.0.0.7"), "on it"));

        assertThat(acked.state()).isEqualTo(AlarmState.ACKED_ALARM);
        assertThat(trail.records).hasSize(1);
        AuditRecord record = trail.last();
        assertThat(record.target()).isEqualTo(AuditRecord.Target.ALARM);
        assertThat(record.name()).isEqualTo(TT101_HI);
        assertThat(record.action()).isEqualTo("ack");
        assertThat(record.before()).isEqualTo("UNACK_ALARM");
        assertThat(record.after()).isEqualTo("ACKED_ALARM");
        assertThat(record.result()).isEqualTo(AuditRecord.OK);
        assertThat(record.refused()).isFalse();
        assertThat(record.detail()).isEqualTo("on it");
        assertThat(record.caller()).isEqualTo(new Caller("alice", null, "http 10.0.0.7"));
    }

    @Test
    void theRecordIsAppendedBeforeTheFlagByteIsWrittenAndTheEventLeaves() {
        int flagsBefore = plant.flags(TT101_HI);
        List<String> seenAtAppend = new ArrayList<>();
        plant.audit = draft -> {
            seenAtAppend.add(plant.flags(TT101_HI) + " " + plant.events.size());
            return draft.appended(1, java.time.Instant.now());
        };
        AlarmEngine audited = plant.engine(null);
        audited.scan();
        int events = plant.events.size();

        audited.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));

        assertThat(seenAtAppend).containsExactly(flagsBefore + " " + events);
        assertThat(plant.flags(TT101_HI)).isNotEqualTo(flagsBefore);
        assertThat(plant.events).hasSize(events + 1);
    }

    @Test
    void anActionWhoseRecordCannotBeAppendedIsRefusedWith503AndChangesNothing() {
        Alarm before = engine.get(TT101_HI);
        int flags = plant.flags(TT101_HI);
        int events = plant.events.size();
        trail.failing = true;

        assertCode(() -> engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null)),
                ErrorCode.BACKEND_UNAVAILABLE, "the audit trail cannot record the action (the audit journal cannot be"
                        + " written (the disk is full)), so alarm 'plant1/line1/tt101/hi' was not changed");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.SHELVE, Plant.shelveBy("alice", null, Duration.ofMinutes(5))),
                ErrorCode.BACKEND_UNAVAILABLE, "was not changed");

        assertThat(engine.get(TT101_HI)).isEqualTo(before);
        assertThat(plant.flags(TT101_HI)).isEqualTo(flags);
        assertThat(plant.events).hasSize(events);
        assertThat(trail.records).isEmpty();

        trail.failing = false;
        Alarm acked = engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        assertThat(acked.sequence()).as("the undone action's sequence number was never handed out")
                .isEqualTo(before.sequence() + 1);
        assertThat(plant.events).as("the refused actions' events never leave").hasSize(events + 1);
        assertThat(plant.events.get(events).type()).isEqualTo(AlarmEventType.ACKNOWLEDGED);
        assertThat(plant.events.get(events).sequence()).isEqualTo(before.sequence() + 1);
    }

    @Test
    void refusedActionsAreAuditedAsRefusedWithTheirReason() {
        assertCode(() -> engine.act("plant1/nope", AlarmAction.ACKNOWLEDGE, Plant.by("alice", null)),
                ErrorCode.ALARM_NOT_FOUND, "no alarm is named");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.RESET, Plant.by("bob", "try")), ErrorCode.CONFLICT,
                "is UNACK_ALARM");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.SHELVE, Plant.shelveBy("carol", null, Duration.ofHours(2))),
                ErrorCode.INVALID_ARGUMENT, "its maximum shelve time is 1 hour");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("dave", "c".repeat(1025))),
                ErrorCode.INVALID_ARGUMENT, "the most is 1024");

        assertThat(trail.records).extracting(AuditRecord::refused).containsOnly(true);
        assertThat(trail.records).extracting(AuditRecord::result)
                .containsExactly("ALARM_NOT_FOUND", "CONFLICT", "INVALID_ARGUMENT", "INVALID_ARGUMENT");
        assertThat(trail.records).extracting(AuditRecord::action).containsExactly("ack", "reset", "shelve", "ack");
        assertThat(trail.records).extracting(AuditRecord::before).containsExactly(null, "UNACK_ALARM", "UNACK_ALARM", null);
        assertThat(trail.records).extracting(AuditRecord::after).containsOnlyNulls();
        assertThat(trail.records.get(1).detail()).contains("alarm 'plant1/line1/tt101/hi' is UNACK_ALARM");
        assertThat(trail.records).extracting(r -> r.caller().user()).containsExactly("alice", "bob", "carol", "dave");
        assertThat(engine.get(TT101_HI).state()).isEqualTo(AlarmState.UNACK_ALARM);
    }

    @Test
    void aRefusedActionWhoseRecordCannotBeAppendedStillAnswersItsRefusal() {
        trail.failing = true;

        assertCode(() -> engine.act("plant1/nope", AlarmAction.ACKNOWLEDGE, Plant.by("alice", null)),
                ErrorCode.ALARM_NOT_FOUND, "no alarm is named 'plant1/nope'");
        assertCode(() -> engine.act(TT101_HI, AlarmAction.RESET, Plant.by("alice", null)), ErrorCode.CONFLICT,
                "is UNACK_ALARM");
        assertThat(trail.records).isEmpty();
        assertThat(actionAudit.unaudited()).as("counted for /health").isEqualTo(2);
    }

    @Test
    void withoutAnAuditTrailEveryActionIsRefusedAndNothingChanges() {
        plant.audit = null;
        int flags = plant.flags(TT101_HI);

        assertCode(() -> engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null)),
                ErrorCode.BACKEND_UNAVAILABLE, "no audit trail is running: alarm actions are refused until it is");
        assertCode(() -> engine.act("plant1/nope", AlarmAction.ACKNOWLEDGE, Plant.by("alice", null)),
                ErrorCode.BACKEND_UNAVAILABLE, "no audit trail is running");

        assertThat(engine.get(TT101_HI).state()).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(plant.flags(TT101_HI)).isEqualTo(flags);
    }

    @Test
    void theAccessPolicyIsAskedBeforeEachActionAndItsRefusalIsForbiddenAndAudited() {
        List<String> asked = new ArrayList<>();
        plant.policy = caller -> {
            asked.add(caller.user());
            boolean viewer = caller.user().equals("mallory");
            return new Access(new TreeSet<>(Set.of(viewer ? "viewer" : "operator")),
                    viewer ? EnumSet.of(Permission.READ) : EnumSet.of(Permission.READ, Permission.ACKNOWLEDGE),
                    PathScope.ALL, PathScope.ALL, 0, 0);
        };

        assertCode(() -> engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("mallory", null)), ErrorCode.FORBIDDEN,
                "'ack' on alarms needs the permission 'acknowledge', which the roles viewer do not grant");
        assertThat(engine.get(TT101_HI).state()).isEqualTo(AlarmState.UNACK_ALARM);
        Alarm acked = engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));

        assertThat(acked.state()).isEqualTo(AlarmState.ACKED_ALARM);
        assertThat(asked).containsExactly("mallory", "alice");
        assertThat(trail.records).extracting(AuditRecord::result).containsExactly("FORBIDDEN", AuditRecord.OK);
        assertThat(trail.records.get(0).refused()).isTrue();
        assertThat(trail.records.get(0).detail()).contains("needs the permission 'acknowledge'");
    }

    @Test
    void whileAlarmsArePausedActionsAreRefusedAndAudited() {
        engine.paused("the registry fell back to its last good copy");

        assertCode(() -> engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null)),
                ErrorCode.BACKEND_UNAVAILABLE, "alarm actions are refused while alarms are paused: the registry fell back");
        assertThat(trail.last().refused()).isTrue();
        assertThat(trail.last().result()).isEqualTo("BACKEND_UNAVAILABLE");

        engine.paused(null);
        assertThat(engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null)).state())
                .isEqualTo(AlarmState.ACKED_ALARM);
    }

    @Test
    void anActionTheJournalCannotTakeIsAuditedAsDoneAndThenAsRefused() {
        FullDisk disk = new FullDisk();
        AlarmEngine durable = plant.engine(plant.store(disk));
        durable.scan();
        disk.full = true;

        assertCode(() -> durable.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null)),
                ErrorCode.BACKEND_UNAVAILABLE, "the alarm journal cannot be written");

        assertThat(trail.records).extracting(AuditRecord::result).containsExactly(AuditRecord.OK, "BACKEND_UNAVAILABLE");
        assertThat(trail.records.get(1).refused()).as("nothing changed").isTrue();
        assertThat(trail.records.get(1).before()).isEqualTo("UNACK_ALARM");
        assertThat(durable.get(TT101_HI).state()).isEqualTo(AlarmState.UNACK_ALARM);
    }

    @Test
    void eachActionIsAuditedOnceInTheOrderTheyWereCarriedOut() {
        plant.write("plant1/line1/tt101", 150.0f);
        engine.scan();
        assertThat(plant.flags(TT101_HIHI)).isEqualTo(VALID | ENABLED | ACTIVE);

        engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));
        engine.act(TT101_HIHI, AlarmAction.ACKNOWLEDGE, Plant.by("bob", null));
        engine.act(TT101_HIHI, AlarmAction.SHELVE, Plant.oneShotBy("bob", "sensor swap"));

        assertThat(trail.records).extracting(r -> r.name() + " " + r.action() + " " + r.before() + "→" + r.after())
                .containsExactly(TT101_HI + " ack UNACK_ALARM→ACKED_ALARM", TT101_HIHI + " ack UNACK_ALARM→ACKED_ALARM",
                        TT101_HIHI + " shelve ACKED_ALARM→SHELVED");
        assertThat(trail.records).extracting(AuditRecord::sequence).containsExactly(1L, 2L, 3L);
    }
}
