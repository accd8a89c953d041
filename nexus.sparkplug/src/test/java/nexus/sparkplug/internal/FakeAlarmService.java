package nexus.sparkplug.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import nexus.alarm.ActionRequest;
import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmSpec;
import nexus.alarm.AlarmState;
import nexus.alarm.AlarmSummary;
import nexus.core.AlarmCondition;
import nexus.core.Caller;
import nexus.core.Severity;

/** An alarm service that lists the alarms it was given; the edge node only lists. */
final class FakeAlarmService implements AlarmService {

    final List<Alarm> alarms = new ArrayList<>();

    FakeAlarmService alarm(String name, String tag, Severity severity, AlarmState state) {
        AlarmSpec spec = new AlarmSpec(name, AlarmCondition.HI, 90.0, 0, severity, true, false, 0, 0, 0, null);
        alarms.add(new Alarm(spec, tag, state, 0, null, null, null, null, null, null, null, false, null, null, 0, null));
        return this;
    }

    static AlarmEvent event(String alarm, AlarmState before, AlarmState after, Instant time) {
        return new AlarmEvent(1, time, AlarmEventType.ACTIVATED, AlarmEvent.Kind.ALARM, alarm, "plant/t", 95.0,
                Severity.HIGH, before, after, null, null, null, null, null);
    }

    @Override
    public List<Alarm> list(Caller caller, AlarmFilter filter) {
        return List.copyOf(alarms);
    }

    @Override
    public Alarm get(Caller caller, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Alarm act(String name, AlarmAction action, ActionRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AlarmSummary summary() {
        throw new UnsupportedOperationException();
    }
}
