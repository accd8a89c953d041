package nexus.alarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmFlags;
import nexus.alarm.AlarmSpec;
import nexus.alarm.AlarmState;
import nexus.core.AlarmCondition;
import nexus.core.Severity;
import nexus.query.FindResult;

/** What find is told of alarms: those of the tags asked, with the state the flags give. */
class FindAlarmStatesTest {

    static Alarm alarm(String name, String tag, Severity severity, int flags) {
        return new Alarm(new AlarmSpec(name, AlarmCondition.HI, 90.0, 0, severity, true, false, 0, 0, 0, null), tag,
                AlarmFlags.state(flags), flags, null, null, null, null, null, null, null, false, null, null, 1, Set.of());
    }

    @Test
    void theAlarmsOfTheTagsAskedComeWithTheirStateByPath() {
        List<Alarm> listed = List.of(
                alarm("a/level_hi", "a/level", Severity.HIGH, AlarmFlags.VALID | AlarmFlags.ENABLED | AlarmFlags.ACTIVE),
                alarm("a/level_hihi", "a/level", Severity.CRITICAL, AlarmFlags.INITIAL),
                alarm("b/temp_hi", "b/temp", Severity.LOW, AlarmFlags.INITIAL | AlarmFlags.SHELVED));

        Map<String, List<FindResult.TagAlarm>> found = FindAlarmStates.of(listed, List.of("a/level", "c/none"));

        assertThat(found).containsOnlyKeys("a/level");
        assertThat(found.get("a/level")).containsExactly(
                new FindResult.TagAlarm("a/level_hi", Severity.HIGH, AlarmState.UNACK_ALARM.name(), true, false),
                new FindResult.TagAlarm("a/level_hihi", Severity.CRITICAL, AlarmState.NORMAL.name(), false, true));
    }
}
