package nexus.alarm;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import nexus.core.Severity;

/**
 * Alarm KPIs at one moment (ISA-18.2 §16 / EEMUA 191 style), and how the engine keeps up.
 *
 * @param registryVersion    the registry version the alarms come from (0: none loaded yet)
 * @param alarms             how many alarms are defined
 * @param active             by severity: alarms in alarm and annunciated (UNACK_ALARM, ACKED_ALARM)
 * @param unacknowledged     by severity: alarms waiting for an acknowledgement (UNACK_ALARM, RTN_UNACK)
 * @param shelved            by severity: shelved alarms
 * @param suppressed         alarms suppressed by design
 * @param outOfService       alarms out of service or disabled
 * @param activations10m     activations in the last 10 minutes
 * @param flood              whether {@code activations10m} exceeds {@code floodThreshold} (an alarm flood)
 * @param floodThreshold     the flood threshold: activations per 10 minutes
 * @param chattering         names of chattering alarms (at most 100, sorted): they activated at least
 *                           the configured number of times within the configured window
 * @param chatteringCount    how many alarms chatter
 * @param scan               how the scan keeps up
 * @param sinks              the registered event sinks
 */
public record AlarmSummary(long registryVersion, int alarms, Map<Severity, Integer> active,
        Map<Severity, Integer> unacknowledged, Map<Severity, Integer> shelved, int suppressed, int outOfService,
        int activations10m, boolean flood, int floodThreshold, List<String> chattering, int chatteringCount,
        ScanStats scan, List<SinkStats> sinks) {

    public AlarmSummary {
        active = bySeverity(active);
        unacknowledged = bySeverity(unacknowledged);
        shelved = bySeverity(shelved);
        chattering = List.copyOf(chattering);
        sinks = List.copyOf(sinks);
    }

    /**
     * How the scan keeps up.
     *
     * @param intervalMillis the configured scan interval
     * @param scans          scans done since the alarm manager started
     * @param overruns       scans that took longer than the interval (the next one started late)
     * @param lastNanos      the last scan's duration
     * @param maxNanos       the longest scan's duration
     * @param lastScan       when the last scan ran, or {@code null}
     * @param events         events published since start
     */
    public record ScanStats(long intervalMillis, long scans, long overruns, long lastNanos, long maxNanos,
            Instant lastScan, long events) {
    }

    /**
     * One event sink as the alarm manager sees it: what it handed the sink. The sink's own queue,
     * and what it drops, are the sink's figures (see {@link EventSink}).
     *
     * @param name      the sink's name
     * @param delivered events the sink's {@code publish} took
     * @param failed    events whose {@code publish} threw
     */
    public record SinkStats(String name, long delivered, long failed) {
    }

    private static Map<Severity, Integer> bySeverity(Map<Severity, Integer> counts) {
        EnumMap<Severity, Integer> all = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            all.put(severity, counts == null ? 0 : counts.getOrDefault(severity, 0));
        }
        return Collections.unmodifiableMap(all);
    }

    /** @return the sum of a by-severity count */
    public static int total(Map<Severity, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
