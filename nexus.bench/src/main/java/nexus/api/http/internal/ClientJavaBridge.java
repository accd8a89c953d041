package nexus.api.http.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import nexus.core.MetricFamily;

/**
 * What using Prometheus client_java's writer would take: the {@link MetricFamily} records of the
 * {@code MetricsSource} contract turned into client_java's snapshots. Counters lose their
 * {@code _total} (the model adds it back); a histogram's cumulative {@code _bucket} samples become
 * per-bucket counts.
 */
final class ClientJavaBridge {

    private ClientJavaBridge() {
    }

    static MetricSnapshots snapshots(List<MetricFamily> families) {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        for (MetricFamily family : families) {
            all.metricSnapshot(snapshot(family));
        }
        return all.build();
    }

    private static MetricSnapshot snapshot(MetricFamily family) {
        return switch (family.type()) {
            case COUNTER -> {
                CounterSnapshot.Builder counter = CounterSnapshot.builder()
                        .name(family.name().substring(0, family.name().length() - "_total".length())).help(family.help());
                for (MetricFamily.Sample sample : family.samples()) {
                    counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels(sample.labels()))
                            .value(sample.value()).build());
                }
                yield counter.build();
            }
            case GAUGE -> {
                GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(family.name()).help(family.help());
                for (MetricFamily.Sample sample : family.samples()) {
                    gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels(sample.labels()))
                            .value(sample.value()).build());
                }
                yield gauge.build();
            }
            case HISTOGRAM -> histogram(family);
        };
    }

    private static HistogramSnapshot histogram(MetricFamily family) {
        Map<Map<String, String>, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> sums = new LinkedHashMap<>();
        for (MetricFamily.Sample sample : family.samples()) {
            if (sample.suffix().equals("_bucket")) {
                Map<String, String> series = new LinkedHashMap<>(sample.labels());
                double le = Double.parseDouble(series.remove("le").replace("+Inf", "Infinity"));
                buckets.computeIfAbsent(series, k -> new TreeMap<>()).put(le, sample.value());
            } else if (sample.suffix().equals("_sum")) {
                sums.put(sample.labels(), sample.value());
            }
        }
        HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(family.name()).help(family.help());
        buckets.forEach((series, cumulative) -> {
            double[] bounds = new double[cumulative.size()];
            long[] counts = new long[cumulative.size()];
            int i = 0;
            double previous = 0;
            for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
                bounds[i] = bucket.getKey();
                counts[i++] = (long) (bucket.getValue() - previous);
                previous = bucket.getValue();
            }
            histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels(series))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                    .sum(sums.getOrDefault(series, 0.0)).build());
        });
        return histogram.build();
    }

    private static Labels labels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return Labels.EMPTY;
        }
        List<String> names = new ArrayList<>(labels.size());
        List<String> values = new ArrayList<>(labels.size());
        labels.forEach((name, value) -> {
            names.add(name);
            values.add(value);
        });
        return Labels.of(names, values);
    }
}
