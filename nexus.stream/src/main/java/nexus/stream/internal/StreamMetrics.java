package nexus.stream.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import nexus.core.MetricFamily;
import nexus.core.MetricFamily.Sample;
import nexus.core.MetricFamily.Type;

/** The engine's figures as {@code /metrics} families (docs/streams.md, "Back-pressure and close codes"). */
final class StreamMetrics {

    private StreamMetrics() {
    }

    static List<MetricFamily> of(Collection<Connection> connections, int feeds, StreamCounters counters) {
        Map<String, Integer> byTransport = new TreeMap<>(Map.of("websocket", 0, "sse", 0));
        Map<String, Integer> byKind = new TreeMap<>(Map.of("tags", 0, "alarms", 0));
        long buffered = 0;
        for (Connection connection : connections) {
            byTransport.merge(connection.transport(), 1, Integer::sum);
            buffered += connection.pending();
            for (Subscription subscription : connection.subscriptions()) {
                byKind.merge(subscription.info().kind(), 1, Integer::sum);
            }
        }
        List<MetricFamily> families = new ArrayList<>();
        families.add(labelled("nexus_stream_connections", Type.GAUGE, "Open streams, by transport.", "transport",
                byTransport));
        families.add(labelled("nexus_stream_subscriptions", Type.GAUGE, "Subscriptions of open streams, by kind.", "kind",
                byKind));
        families.add(MetricFamily.single("nexus_stream_feeds", Type.GAUGE,
                "Tag watches sampled for subscriptions (shared by those with the same access, tags and sampling).", feeds));
        families.add(MetricFamily.single("nexus_stream_messages_total", Type.COUNTER, "Messages sent to clients.",
                counters.messages.sum()));
        families.add(MetricFamily.single("nexus_stream_values_total", Type.COUNTER,
                "Tag values sent to clients (items of data and tags messages).", counters.values.sum()));
        families.add(MetricFamily.single("nexus_stream_overflows_total", Type.COUNTER,
                "Tag values discarded by coalescing (the next item of the tag says overflow).", counters.overflows.sum()));
        List<Sample> closed = new ArrayList<>();
        for (StreamCounters.Closed reason : StreamCounters.Closed.values()) {
            closed.add(Sample.of(Map.of("reason", reason.label), counters.closedCount(reason)));
        }
        families.add(new MetricFamily("nexus_stream_closed_total", Type.COUNTER,
                "Streams the node closed, by reason (4008 slow_consumer, 4029 too_many_messages, 4001 identity_ended).",
                closed));
        families.add(MetricFamily.single("nexus_stream_buffered_bytes", Type.GAUGE,
                "Bytes handed to transports and not yet written out, over all streams.", buffered));
        families.add(MetricFamily.single("nexus_stream_sample_failures_total", Type.COUNTER,
                "Feed polls that failed (no registry, say); each feed tries again at its next tick.",
                counters.sampleFailures.sum()));
        families.add(MetricFamily.single("nexus_stream_items", Type.GAUGE,
                "Tags followed over every subscription (a tag two subscriptions follow counts twice): items.node.max caps it.",
                counters.watched.get()));
        families.add(MetricFamily.single("nexus_stream_samples_per_second", Type.GAUGE,
                "Tag samples a second of the open feeds (a shared feed counts once): samples.node.max caps it.",
                counters.sampling.get() / (double) SampleRate.UNIT));
        families.add(MetricFamily.single("nexus_stream_member_failures_total", Type.COUNTER,
                "Subscriptions that failed to take a feed's sample (a bug; the log has the first of each run); the"
                        + " feed's other subscriptions got it.", counters.memberFailures.sum()));
        return families;
    }

    private static MetricFamily labelled(String name, Type type, String help, String label, Map<String, Integer> counts) {
        List<Sample> samples = new ArrayList<>();
        counts.forEach((value, count) -> samples.add(Sample.of(Map.of(label, value), count)));
        return new MetricFamily(name, type, help, samples);
    }
}
