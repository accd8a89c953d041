package nexus.alarm.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import nexus.alarm.AlarmState;
import nexus.alarm.AlarmSummary;
import nexus.core.Severity;

/**
 * The alarm KPIs (ISA-18.2 §16 / EEMUA 191 style) and how the scan keeps up: counts by state and
 * severity, activations in a 10-minute window and floods, chattering alarms, scan durations and
 * overruns. Not thread-safe: the engine's lock guards it.
 */
final class Kpis {

    private static final int MAX_CHATTERING_NAMES = 100;
    private static final long NONE = AlarmRecord.NONE;

    private final ActivationWindow window = new ActivationWindow(600);
    private long scans;
    private long overruns;
    private long lastScanNanos;
    private long maxScanNanos;
    private long lastScanMillis = NONE;

    /**
     * One scan done.
     *
     * @param tookNanos      how long it took
     * @param activations    how many alarms it activated
     * @param now            when it ran (wall clock, ms)
     * @param intervalMillis the scan interval: a longer scan is an overrun
     */
    void scanned(long tookNanos, int activations, long now, long intervalMillis) {
        if (activations > 0) {
            window.record(now, activations);
        }
        scans++;
        lastScanNanos = tookNanos;
        maxScanNanos = Math.max(maxScanNanos, tookNanos);
        lastScanMillis = now;
        if (tookNanos > intervalMillis * 1_000_000) {
            overruns++;
        }
    }

    /** @return when the last scan ran, or null */
    Instant lastScan() {
        return lastScanMillis == NONE ? null : Instant.ofEpochMilli(lastScanMillis);
    }

    /**
     * @param table     the alarms, or null before the first registry version
     * @param published events published so far
     * @param sinks     the event sinks' figures
     */
    AlarmSummary summary(AlarmTable table, AlarmEngine.Settings s, long now, long published,
            List<AlarmSummary.SinkStats> sinks) {
        Map<Severity, Integer> active = new EnumMap<>(Severity.class);
        Map<Severity, Integer> unacked = new EnumMap<>(Severity.class);
        Map<Severity, Integer> shelved = new EnumMap<>(Severity.class);
        int suppressed = 0;
        int outOfService = 0;
        TreeSet<String> chattering = new TreeSet<>();
        int chatteringCount = 0;
        AlarmRecord[] records = table == null ? new AlarmRecord[0] : table.records;
        for (AlarmRecord r : records) {
            AlarmState state = r.state();
            Severity severity = r.definition().severity();
            switch (state) {
                case UNACK_ALARM, ACKED_ALARM -> active.merge(severity, 1, Integer::sum);
                case SHELVED -> shelved.merge(severity, 1, Integer::sum);
                case SUPPRESSED -> suppressed++;
                case OUT_OF_SERVICE -> outOfService++;
                default -> {
                }
            }
            if (state.unacknowledged()) {
                unacked.merge(severity, 1, Integer::sum);
            }
            if (r.chatters(now, s.chatterCount(), s.chatterWindowMillis())) {
                chatteringCount++;
                chattering.add(r.name());
                if (chattering.size() > MAX_CHATTERING_NAMES) {
                    chattering.pollLast();
                }
            }
        }
        int activations = window.count(now);
        return new AlarmSummary(table == null ? 0 : table.version, records.length, active, unacked, shelved, suppressed,
                outOfService, activations, activations > s.floodThreshold(), s.floodThreshold(),
                new ArrayList<>(chattering), chatteringCount,
                new AlarmSummary.ScanStats(s.scanIntervalMillis(), scans, overruns, lastScanNanos, maxScanNanos,
                        lastScan(), published),
                sinks);
    }
}
