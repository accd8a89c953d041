package nexus.loki.internal;

import java.time.Duration;
import java.time.Instant;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmState;
import nexus.core.Severity;

/** Alarm events for the tests. */
final class Events {

    static final Instant T0 = Instant.parse("2026-11-26T08:00:00.123Z");

    private Events() {
    }

    static AlarmEvent activated(long sequence, String alarm, Severity severity, Instant time) {
        return new AlarmEvent(sequence, time, AlarmEventType.ACTIVATED, AlarmEvent.Kind.ALARM, alarm, alarm + "/pv", 95.5f,
                severity, AlarmState.NORMAL, AlarmState.UNACK_ALARM, null, null, null, null, "level high");
    }

    static AlarmEvent acknowledged(long sequence, String alarm, Instant time) {
        return new AlarmEvent(sequence, time, AlarmEventType.ACKNOWLEDGED, AlarmEvent.Kind.AUDIT, alarm, alarm + "/pv",
                95.5f, Severity.HIGH, AlarmState.UNACK_ALARM, AlarmState.ACKED_ALARM, "alice", "on \"it\"",
                Duration.ofMillis(4200), null, "level high");
    }

    /** An alarm whose mirrored tag went stale: it is no longer evaluated, its state stays. */
    static AlarmEvent qualityChanged(long sequence, String alarm, Instant time) {
        return new AlarmEvent(sequence, time, AlarmEventType.QUALITY_CHANGED, AlarmEvent.Kind.ALARM, alarm,
                alarm + "/pv", 95.5f, Severity.HIGH, AlarmState.ACKED_ALARM, AlarmState.ACKED_ALARM, null,
                "STALE: the value is the last one sparkplug plant/nexus1 sent and is not current", null, null,
                "level high");
    }

    /** @return n activations of distinct alarms, all in the same millisecond */
    static AlarmEvent[] storm(int n) {
        AlarmEvent[] events = new AlarmEvent[n];
        for (int i = 0; i < n; i++) {
            events[i] = activated(1, "site1/tank" + i + "/level_hi", Severity.HIGH, T0);
        }
        return events;
    }
}
