package nexus.audit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.AuditRecord;
import nexus.core.AuditSink;
import nexus.core.MetricFamily;

/**
 * The registered {@link AuditSink}s: each durable record is handed to every one of them, inline and
 * in sequence order (a sink keeps its own queue and returns at once). A sink that throws does not
 * stop the others; the record is counted as dropped for that sink and the failure logged (the first
 * one and then every thousandth per sink). Thread-safe.
 */
final class Sinks {

    private static final Logger LOG = LoggerFactory.getLogger(Sinks.class);

    private record Registered(AuditSink sink, String name) {
    }

    private final List<Registered> sinks = new CopyOnWriteArrayList<>();
    /** Records each sink threw on, by sink name; kept when a sink leaves so that counters never go back. */
    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();

    void add(AuditSink sink, String name) {
        sinks.add(new Registered(sink, name));
        dropped.computeIfAbsent(name, n -> new AtomicLong());
        LOG.info("Audit records now also go to sink {}", name);
    }

    void remove(AuditSink sink) {
        for (Registered registered : sinks) {
            if (registered.sink() == sink) {
                sinks.remove(registered);
                LOG.info("Audit records no longer go to sink {}", registered.name());
            }
        }
    }

    /** Hands the records, in order, to every sink. Never throws. */
    void deliver(List<AuditRecord> records) {
        for (Registered registered : sinks) {
            for (AuditRecord record : records) {
                try {
                    registered.sink().accept(record);
                } catch (Throwable e) { // even an Error from a sink must not fail the append that is already durable
                    long count = dropped.computeIfAbsent(registered.name(), n -> new AtomicLong()).incrementAndGet();
                    if (count == 1 || count % 1000 == 0) {
                        LOG.warn("Audit sink {} threw on record {} (it must not; {} records dropped for it so far): {}",
                                registered.name(), record.sequence(), count, e.toString());
                    }
                }
            }
        }
    }

    /** @return the names of the sinks registered now */
    List<String> names() {
        List<String> names = new ArrayList<>();
        for (Registered registered : sinks) {
            names.add(registered.name());
        }
        return names;
    }

    /** @return records dropped for the named sink because it threw */
    long dropped(String name) {
        AtomicLong count = dropped.get(name);
        return count == null ? 0 : count.get();
    }

    /** @return the per-sink drop counter as a metric family */
    MetricFamily metrics() {
        List<MetricFamily.Sample> samples = new ArrayList<>();
        dropped.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> samples.add(MetricFamily.Sample.of(Map.of("sink", e.getKey()), e.getValue().get())));
        return new MetricFamily("nexus_audit_sink_records_dropped_total", MetricFamily.Type.COUNTER,
                "Audit records a sink threw on and did not take, by sink.", samples);
    }
}
