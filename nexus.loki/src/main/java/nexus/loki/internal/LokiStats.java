package nexus.loki.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import nexus.core.MetricFamily;

/**
 * What the sink did, for {@code /health}, {@code /metrics} and {@code nexus:loki}: entries sent and
 * dropped by reason, each counted apart for alarm events and audit records, entries retried, pushes
 * and their latency, the last success and the last error. Kept across reconfigurations. Thread-safe.
 */
final class LokiStats {

    /** Why an entry did not reach Loki. */
    enum Drop {
        /** the memory queue was full (no spool) */
        QUEUE_FULL,
        /** Loki refused the push with a 4xx other than 429 */
        REJECTED,
        /** the spool was at its limit */
        SPOOL_FULL,
        /** a spooled line could not be read back */
        SPOOL_CORRUPT,
        /** the sink stopped with events that could not be pushed or spooled */
        STOPPED,
        /** no url is configured */
        NO_URL
    }

    private static final double[] BUCKETS = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

    final AtomicLong retried = new AtomicLong();
    final AtomicLong pushesOk = new AtomicLong();
    final AtomicLong pushesFailed = new AtomicLong();
    private final Map<Entry.Input, AtomicLong> sent = new EnumMap<>(Entry.Input.class);
    private final Map<Entry.Input, Map<Drop, AtomicLong>> dropped = new EnumMap<>(Entry.Input.class);
    private final long[] buckets = new long[BUCKETS.length + 1];
    private long latencyCount;
    private double latencySum;
    private volatile Instant lastSuccess;
    private volatile Instant lastErrorAt;
    private volatile String lastError;

    LokiStats() {
        for (Entry.Input input : Entry.Input.values()) {
            sent.put(input, new AtomicLong());
            Map<Drop, AtomicLong> byReason = new EnumMap<>(Drop.class);
            for (Drop drop : Drop.values()) {
                byReason.put(drop, new AtomicLong());
            }
            dropped.put(input, byReason);
        }
    }

    /** Counts dropped alarm events. */
    void drop(Drop reason, long events) {
        drop(reason, Entry.Input.ALARM_EVENT, events);
    }

    void drop(Drop reason, Entry.Input input, long entries) {
        if (entries > 0) {
            dropped.get(input).get(reason).addAndGet(entries);
        }
    }

    /** Counts the entries dropped, each under its input. */
    void drop(Drop reason, List<Entry> entries) {
        for (Entry entry : entries) {
            drop(reason, entry.input(), 1);
        }
    }

    /** Counts the entries Loki took, each under its input. */
    void sent(List<Entry> entries) {
        for (Entry entry : entries) {
            sent.get(entry.input()).incrementAndGet();
        }
    }

    /** @return alarm events dropped for this reason */
    long dropped(Drop reason) {
        return dropped(reason, Entry.Input.ALARM_EVENT);
    }

    long dropped(Drop reason, Entry.Input input) {
        return dropped.get(input).get(reason).get();
    }

    /** @return entries of both inputs dropped for any reason */
    long droppedTotal() {
        return dropped.values().stream().flatMap(m -> m.values().stream()).mapToLong(AtomicLong::get).sum();
    }

    long sent(Entry.Input input) {
        return sent.get(input).get();
    }

    /** @return entries of both inputs Loki took */
    long sentTotal() {
        return sent.values().stream().mapToLong(AtomicLong::get).sum();
    }

    synchronized void push(long nanos, boolean ok) {
        double seconds = nanos / 1e9;
        int b = 0;
        while (b < BUCKETS.length && seconds > BUCKETS[b]) {
            b++;
        }
        buckets[b]++;
        latencyCount++;
        latencySum += seconds;
        (ok ? pushesOk : pushesFailed).incrementAndGet();
    }

    void success(Instant at) {
        lastSuccess = at;
    }

    void error(Instant at, String message) {
        lastErrorAt = at;
        lastError = message;
    }

    Instant lastSuccess() {
        return lastSuccess;
    }

    Instant lastErrorAt() {
        return lastErrorAt;
    }

    String lastError() {
        return lastError;
    }

    /** @return the sink's metric families; {@code queue} and {@code spooled} are gauges read now */
    synchronized List<MetricFamily> metrics(long queue, long spooled, long spoolBytes) {
        List<MetricFamily> families = new ArrayList<>();
        families.add(MetricFamily.single("nexus_loki_events_sent_total", MetricFamily.Type.COUNTER,
                "Alarm events Loki accepted.", sent(Entry.Input.ALARM_EVENT)));
        families.add(MetricFamily.single("nexus_loki_events_retried_total", MetricFamily.Type.COUNTER,
                "Entries (alarm events and audit records) in pushes that failed and were tried again.", retried.get()));
        families.add(drops("nexus_loki_events_dropped_total", "Alarm events that will not reach Loki, by reason.",
                Entry.Input.ALARM_EVENT));
        families.add(MetricFamily.single("nexus_loki_audit_records_sent_total", MetricFamily.Type.COUNTER,
                "Audit records Loki accepted.", sent(Entry.Input.AUDIT_RECORD)));
        families.add(drops("nexus_loki_audit_records_dropped_total",
                "Audit records that will not reach Loki, by reason (the audit journal still holds them).",
                Entry.Input.AUDIT_RECORD));
        families.add(new MetricFamily("nexus_loki_pushes_total", MetricFamily.Type.COUNTER, "Pushes to Loki by outcome.",
                List.of(MetricFamily.Sample.of(Map.of("outcome", "ok"), pushesOk.get()),
                        MetricFamily.Sample.of(Map.of("outcome", "failed"), pushesFailed.get()))));
        List<MetricFamily.Sample> latency = new ArrayList<>();
        long cumulative = 0;
        for (int b = 0; b <= BUCKETS.length; b++) {
            cumulative += buckets[b];
            Map<String, String> le = new LinkedHashMap<>();
            le.put("le", b < BUCKETS.length ? format(BUCKETS[b]) : "+Inf");
            latency.add(new MetricFamily.Sample("_bucket", le, cumulative));
        }
        latency.add(new MetricFamily.Sample("_sum", Map.of(), latencySum));
        latency.add(new MetricFamily.Sample("_count", Map.of(), latencyCount));
        families.add(new MetricFamily("nexus_loki_push_seconds", MetricFamily.Type.HISTOGRAM,
                "How long a push (a batch) took, answered or not.", latency));
        families.add(MetricFamily.single("nexus_loki_queue_events", MetricFamily.Type.GAUGE,
                "Entries (alarm events and audit records) waiting in memory.", queue));
        families.add(MetricFamily.single("nexus_loki_spool_events", MetricFamily.Type.GAUGE,
                "Entries (alarm events and audit records) waiting in the spool.", spooled));
        families.add(MetricFamily.single("nexus_loki_spool_bytes", MetricFamily.Type.GAUGE,
                "Bytes the spool holds.", spoolBytes));
        Instant success = lastSuccess;
        families.add(MetricFamily.single("nexus_loki_last_success_timestamp_seconds", MetricFamily.Type.GAUGE,
                "When Loki last accepted a push (0: never).", success == null ? 0 : success.toEpochMilli() / 1000.0));
        return families;
    }

    private MetricFamily drops(String name, String help, Entry.Input input) {
        List<MetricFamily.Sample> samples = new ArrayList<>();
        for (Map.Entry<Drop, AtomicLong> drop : dropped.get(input).entrySet()) {
            samples.add(MetricFamily.Sample.of(Map.of("reason", drop.getKey().name().toLowerCase(Locale.ROOT)),
                    drop.getValue().get()));
        }
        return new MetricFamily(name, MetricFamily.Type.COUNTER, help, samples);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
