package nexus.api.http.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nexus.core.MetricFamily;
import nexus.core.MetricFamily.Sample;
import nexus.core.MetricFamily.Type;
import nexus.core.MetricsSource;

/**
 * A realistic large scrape: 10 sources of 20 families each (200 families), 2,040 samples. 18 of
 * each source's families are counters or gauges with 10 labelled series; 2 are histograms of one
 * series (10 buckets, sum, count). One label value in 25 needs escaping (a quote and a backslash).
 */
final class ScrapeWorkload {

    static final int SOURCES = 10;

    private ScrapeWorkload() {
    }

    static List<MetricsSource> sources() {
        List<MetricsSource> sources = new ArrayList<>(SOURCES);
        int label = 0;
        for (int s = 0; s < SOURCES; s++) {
            List<MetricFamily> families = new ArrayList<>(20);
            for (int f = 0; f < 18; f++) {
                boolean counter = f % 2 == 0;
                List<Sample> samples = new ArrayList<>(10);
                for (int i = 0; i < 10; i++, label++) {
                    Map<String, String> labels = new LinkedHashMap<>(4);
                    labels.put("route", label % 25 == 0 ? "/api/v1/tags/site\"" + i + "\"\\area" : "/api/v1/tags/site1/area" + i);
                    labels.put("status", Integer.toString(200 + i));
                    samples.add(Sample.of(labels, counter ? 1_000L * label + i : label * 0.125));
                }
                String name = "nexus_source" + s + "_family" + f + (counter ? "_total" : "_bytes");
                families.add(new MetricFamily(name, counter ? Type.COUNTER : Type.GAUGE, "Family " + f + " of source " + s + ".",
                        samples));
            }
            for (int h = 0; h < 2; h++) {
                List<Sample> samples = new ArrayList<>(12);
                long cumulative = 0;
                for (int b = 0; b < 10; b++) {
                    cumulative += b * 3L;
                    samples.add(new Sample("_bucket", Map.of("le", b < 9 ? PrometheusText.number(0.001 * (1 << b)) : "+Inf"),
                            cumulative));
                }
                samples.add(new Sample("_sum", Map.of(), cumulative * 0.0042));
                samples.add(new Sample("_count", Map.of(), cumulative));
                families.add(new MetricFamily("nexus_source" + s + "_latency" + h + "_seconds", Type.HISTOGRAM, "Latency.", samples));
            }
            List<MetricFamily> answer = List.copyOf(families);
            sources.add(() -> answer);
        }
        return sources;
    }

    static List<MetricFamily> families(List<MetricsSource> sources) {
        List<MetricFamily> all = new ArrayList<>();
        sources.forEach(source -> all.addAll(source.metrics()));
        return all;
    }
}
