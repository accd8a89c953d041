package nexus.alarm.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmFlags;
import nexus.alarm.AlarmService;
import nexus.core.Caller;
import nexus.query.FindAlarms;
import nexus.query.FindResult;

/**
 * What the find service asks of the alarm manager ({@link FindAlarms}): the alarms of some tags with
 * their state, as the caller sees them ({@link AlarmService#list}, so its scope applies). Present
 * while an {@link AlarmService} is; without it, find answers live alarm criteria with a clear error.
 * One listing per call: the alarm table is in memory, and a find asks once per SQL page.
 */
@Component(service = FindAlarms.class)
public final class FindAlarmStates implements FindAlarms {

    private final AlarmService alarms;

    @Activate
    public FindAlarmStates(@Reference AlarmService alarms) {
        this.alarms = alarms;
    }

    @Override
    public Map<String, List<FindResult.TagAlarm>> alarmsOf(Caller caller, Collection<String> paths) {
        return of(alarms.list(caller, AlarmFilter.ALL), paths);
    }

    /** @return the alarms (in name order, as listed) of the tags with these paths, by path */
    static Map<String, List<FindResult.TagAlarm>> of(List<Alarm> listed, Collection<String> paths) {
        Set<String> wanted = new HashSet<>(paths);
        Map<String, List<FindResult.TagAlarm>> byTag = new HashMap<>();
        for (Alarm alarm : listed) {
            if (alarm.tag() != null && wanted.contains(alarm.tag())) {
                byTag.computeIfAbsent(alarm.tag(), t -> new ArrayList<>()).add(new FindResult.TagAlarm(alarm.name(),
                        alarm.definition().severity(), alarm.state().name(), AlarmFlags.inAlarm(alarm.flags()),
                        alarm.acked()));
            }
        }
        return byTag;
    }
}
