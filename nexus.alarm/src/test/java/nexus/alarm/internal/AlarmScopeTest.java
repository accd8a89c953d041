package nexus.alarm.internal;

import static nexus.alarm.internal.Plant.LT101_LO;
import static nexus.alarm.internal.Plant.MODE;
import static nexus.alarm.internal.Plant.P1_FAULT;
import static nexus.alarm.internal.Plant.TT101_HI;
import static nexus.alarm.internal.Plant.TT101_HIHI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import nexus.alarm.ActionRequest;
import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmState;
import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.AuditRecord;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.core.Permission;

/**
 * A caller limited to part of the namespace: it lists, reads and acts on the alarms of the tags it
 * sees and nothing else; an alarm outside is not found exactly like a missing one, and an action its
 * roles do not allow, or on an alarm whose tag it may not write, is forbidden. Every refusal is audited.
 */
class AlarmScopeTest extends EngineTestBase {

    /** Sees line 1, acknowledges, and may act only on the alarms of tt101. */
    static final String LINE1 = "line1-operator";

    private static final Map<String, Access> ROLES = Map.of(
            LINE1, new Access(new TreeSet<>(Set.of(LINE1)), EnumSet.of(Permission.READ, Permission.ACKNOWLEDGE),
                    PathScope.of("plant1/line1/**"), PathScope.of("plant1/line1/tt101"), 0, 0),
            Access.ADMIN, Access.UNRESTRICTED);

    private static final Caller ANN = Caller.of("ann", Set.of(LINE1), "http 10.0.0.9");
    private static final Caller ROOT = Caller.of("root", Set.of(Access.ADMIN), "shell");

    private MemoryAuditTrail trail;

    @BeforeEach
    void limitedPlant() {
        trail = (MemoryAuditTrail) plant.audit;
        plant.policy = caller -> caller.roles().stream().map(ROLES::get).filter(a -> a != null).findFirst()
                .orElse(Access.NONE);
        // Every alarm active, so that each action below would otherwise be carried out.
        plant.write("plant1/line1/tt101", 150.0f);
        plant.write("plant1/line1/lt101", 5.0f);
        plant.write("plant1/line2/p1/fault", true);
        plant.write("plant1/line2/mode", (short) 3);
        engine.scan();
        for (String alarm : new String[] { TT101_HI, TT101_HIHI, LT101_LO, P1_FAULT }) {
            assertThat(stateOf(alarm)).as(alarm).isEqualTo(AlarmState.UNACK_ALARM);
        }
    }

    private AlarmState stateOf(String name) {
        return engine.get(name).state();
    }

    /** What the component does for list and get: the caller's access, from the plant's policy. */
    private Access access(Caller caller) {
        return AccessPolicy.accessOf(plant.policy, caller);
    }

    private NexusException refusal(Runnable action) {
        return catchThrowableOfType(NexusException.class, action::run);
    }

    @Test
    void aLimitedCallerListsOnlyTheAlarmsOfTheTagsItSees() {
        assertThat(engine.list(access(ANN), AlarmFilter.ALL)).extracting(Alarm::name)
                .containsExactlyInAnyOrder(TT101_HI, TT101_HIHI, LT101_LO);
        assertThat(engine.list(access(ANN), new AlarmFilter(Set.of(), Set.of(), "plant1/line2/")))
                .as("a prefix outside finds nothing, as for a prefix nothing has").isEmpty();
        assertThat(engine.list(access(ROOT), AlarmFilter.ALL)).extracting(Alarm::name)
                .containsExactlyInAnyOrder(TT101_HI, TT101_HIHI, LT101_LO, P1_FAULT, MODE);
        assertThat(engine.list(access(Caller.of("eve", Set.of("unknown"), "http 10.0.0.66")), AlarmFilter.ALL))
                .as("a caller no role grants anything sees nothing").isEmpty();
    }

    @Test
    void anAlarmOutsideIsNotFoundWithTheMessageOfOneThatDoesNotExist() {
        assertThat(engine.get(access(ANN), TT101_HI).name()).isEqualTo(TT101_HI);

        NexusException unseen = refusal(() -> engine.get(access(ANN), P1_FAULT));
        NexusException missing = refusal(() -> engine.get(access(ANN), "plant1/line2/p9/fault"));

        assertThat(unseen.code()).isEqualTo(ErrorCode.ALARM_NOT_FOUND);
        assertThat(missing.code()).isEqualTo(ErrorCode.ALARM_NOT_FOUND);
        assertThat(unseen.getMessage()).isEqualTo(missing.getMessage().replace("plant1/line2/p9/fault", P1_FAULT));
        assertThat(engine.get(access(ROOT), P1_FAULT).name()).isEqualTo(P1_FAULT);
    }

    @Test
    void anActionOnAnAlarmOutsideIsNotFoundLikeAMissingOneAndAudited() {
        int flags = plant.flags(P1_FAULT);

        NexusException unseen = refusal(() -> engine.act(P1_FAULT, AlarmAction.ACKNOWLEDGE, ActionRequest.of(ANN, null)));
        NexusException missing = refusal(() -> engine.act("plant1/line2/p9/fault", AlarmAction.ACKNOWLEDGE,
                ActionRequest.of(ANN, null)));

        assertThat(unseen.code()).isEqualTo(ErrorCode.ALARM_NOT_FOUND);
        assertThat(unseen.getMessage()).isEqualTo(missing.getMessage().replace("plant1/line2/p9/fault", P1_FAULT));
        assertThat(stateOf(P1_FAULT)).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(plant.flags(P1_FAULT)).isEqualTo(flags);
        assertThat(trail.records).extracting(AuditRecord::result).containsExactly("ALARM_NOT_FOUND", "ALARM_NOT_FOUND");
        assertThat(trail.records).extracting(AuditRecord::refused).containsOnly(true);
        AuditRecord record = trail.records.get(0);
        assertThat(record.before()).as("the record says no more than the answer").isNull();
        assertThat(record.detail()).isEqualTo(unseen.getMessage());
        assertThat(record.caller()).isEqualTo(ANN);
    }

    @Test
    void anActionTheRolesDoNotAllowIsForbiddenNamingThePermission() {
        NexusException shelve = refusal(() -> engine.act(TT101_HI, AlarmAction.SHELVE,
                new ActionRequest(ANN, "sensor swap", Duration.ofMinutes(10), false)));
        NexusException disable = refusal(() -> engine.act(TT101_HIHI, AlarmAction.DISABLE, ActionRequest.of(ANN, null)));

        assertThat(shelve.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(shelve.getMessage()).isEqualTo("'shelve' on alarms needs the permission 'shelve', which the roles "
                + LINE1 + " do not grant");
        assertThat(disable.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(disable.getMessage()).contains("needs the permission '" + AlarmAction.DISABLE.permission().wireName() + "'");
        assertThat(stateOf(TT101_HI)).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(stateOf(TT101_HIHI)).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(trail.records).extracting(AuditRecord::name, AuditRecord::action, AuditRecord::result,
                AuditRecord::refused).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TT101_HI, "shelve", "FORBIDDEN", true),
                        org.assertj.core.groups.Tuple.tuple(TT101_HIHI, AlarmAction.DISABLE.wireName(), "FORBIDDEN", true));
        assertThat(trail.records.get(0).detail()).isEqualTo(shelve.getMessage());
    }

    @Test
    void anAlarmOfATagOutsideTheWriteScopeIsSeenButForbidden() {
        int flags = plant.flags(LT101_LO);
        assertThat(engine.get(access(ANN), LT101_LO).state()).as("seen").isEqualTo(AlarmState.UNACK_ALARM);

        NexusException ack = refusal(() -> engine.act(LT101_LO, AlarmAction.ACKNOWLEDGE, ActionRequest.of(ANN, "on it")));

        assertThat(ack.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(ack.getMessage()).isEqualTo("the roles " + LINE1 + " may ack only alarms of tags under"
                + " plant1/line1/tt101; alarm " + LT101_LO + " watches plant1/line1/lt101");
        assertThat(stateOf(LT101_LO)).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(plant.flags(LT101_LO)).isEqualTo(flags);
        AuditRecord record = trail.last();
        assertThat(record.refused()).isTrue();
        assertThat(record.result()).isEqualTo("FORBIDDEN");
        assertThat(record.before()).as("a seen alarm's state may be named").isEqualTo("UNACK_ALARM");
        assertThat(record.detail()).isEqualTo(ack.getMessage());
    }

    @Test
    void withinItsScopeAndPermissionsTheCallerActsAndIsAuditedAsItself() {
        Alarm acked = engine.act(TT101_HI, AlarmAction.ACKNOWLEDGE, ActionRequest.of(ANN, "on it"));

        assertThat(acked.state()).isEqualTo(AlarmState.ACKED_ALARM);
        AuditRecord record = trail.last();
        assertThat(record.result()).isEqualTo(AuditRecord.OK);
        assertThat(record.caller()).isEqualTo(ANN);
        assertThat(record.caller().roles()).containsExactly(LINE1);
        assertThat(engine.act(P1_FAULT, AlarmAction.ACKNOWLEDGE, ActionRequest.of(ROOT, null)).state())
                .as("admin acts everywhere").isEqualTo(AlarmState.ACKED_ALARM);
    }
}
