package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmService;
import nexus.alarm.AlarmSummary;
import nexus.alarm.internal.AlarmMetrics;
import nexus.core.MetricFamily;
import nexus.core.MetricFamily.Sample;
import nexus.core.MetricFamily.Type;
import nexus.core.MetricsSource;
import nexus.core.Severity;
import nexus.query.QueryStats;
import nexus.query.internal.QueryCounts;
import nexus.registry.RegistryStatus;
import nexus.registry.TagRegistry;
import nexus.registry.internal.RegistryMetrics;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;
import nexus.rma.internal.RmaBackends;
import nexus.rma.internal.RmaMetrics;

/** {@code /metrics} renders what the sources answer: valid text, each family once. */
class ExpositionTest {

    private final Metrics http = new Metrics();
    private final QueryCounts queries = new QueryCounts();
    private final Exposition exposition = new Exposition();

    private String render(List<MetricsSource> sources) {
        return new String(exposition.render(sources), StandardCharsets.UTF_8);
    }

    /** A service of which only the one method the metrics component calls answers. */
    @SuppressWarnings("unchecked")
    private static <T> T answering(Class<T> type, String method, Object answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, m, args) -> {
            if (m.getName().equals(method)) {
                return answer;
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    @Test
    void theWholeNodeRendersAsValidTextWithEveryFamilyOnce() {
        http.request("/api/v1/query", "POST", 200, 3_000_000);
        http.request("/api/v1/query", "POST", 429, 100_000);
        http.request("(refused: Host or Origin)", "BREW", 403, 10_000);
        queries.count(new QueryStats(10, 10, 1, 2, 4096, 40, false, 0, 0, 0, 0, 0));
        RmaBackend rma = RmaBackends.heap(List.of(new Bank(0, "process", 1024), new Bank(1, "alarms", 64)));
        rma.write(0, 0, new byte[] { 1 }, 0, 1);
        TagRegistry registry = answering(TagRegistry.class, "status",
                new RegistryStatus("registry.db", false, 3, 10_002, 12, null, null));
        AlarmSummary summary = new AlarmSummary(3, 12, Map.of(Severity.HIGH, 2), Map.of(Severity.HIGH, 1), Map.of(), 0, 1, 4,
                false, 10, List.of("tank1"), 1, new AlarmSummary.ScanStats(1000, 50, 1, 2_000_000, 9_000_000, Instant.now(), 17),
                List.of(new AlarmSummary.SinkStats("loki", 17, 0)));
        AlarmService alarms = answering(AlarmService.class, "summary", summary);

        String text = render(List.of(http, queries, new RmaMetrics(rma), new RegistryMetrics(registry), new AlarmMetrics(alarms)));

        assertThat(TextFormatCheck.problems(text)).isEmpty();
        assertThat(text).contains("nexus_http_requests_total{route=\"/api/v1/query\",method=\"POST\",status=\"200\"} 1\n",
                "nexus_http_requests_total{route=\"/api/v1/query\",method=\"POST\",status=\"429\"} 1\n",
                "nexus_http_requests_total{route=\"(refused: Host or Origin)\",method=\"OTHER\",status=\"403\"} 1\n",
                "nexus_http_request_duration_seconds_bucket{route=\"/api/v1/query\",le=\"0.0025\"} 1\n",
                "nexus_http_request_duration_seconds_bucket{route=\"/api/v1/query\",le=\"+Inf\"} 2\n",
                "nexus_http_request_duration_seconds_count{route=\"/api/v1/query\"} 2\n",
                "nexus_queries_total 1\n", "nexus_query_rows_total 10\n", "nexus_query_blocks_total 2\n",
                "nexus_query_read_bytes_total 4096\n",
                "nexus_rma_bank_writes_total{bank=\"process\"} 1\n", "nexus_rma_bank_size_bytes{bank=\"alarms\"} 64\n",
                "nexus_registry_version 3\n", "nexus_registry_tags 10002\n", "nexus_registry_alarms 12\n",
                "nexus_alarms_unacknowledged{severity=\"HIGH\"} 1\n", "nexus_alarm_activations_10m 4\n", "nexus_alarm_flood 0\n",
                "nexus_alarm_scan_max_seconds 0.009\n",
                "nexus_alarm_sink_events_total{sink=\"loki\",outcome=\"delivered\"} 17\n")
                .doesNotContain("BREW");
    }

    @Test
    void everyFamilyPresentBeforeIsStillThereWithItsType() {
        RmaBackend rma = RmaBackends.heap(List.of(new Bank(0, "process", 1024)));
        AlarmSummary summary = new AlarmSummary(0, 0, Map.of(), Map.of(), Map.of(), 0, 0, 0, false, 10, List.of(), 0,
                new AlarmSummary.ScanStats(1000, 0, 0, 0, 0, null, 0), List.of(new AlarmSummary.SinkStats("loki", 0, 0)));
        String text = render(List.of(http, queries, new RmaMetrics(rma),
                new RegistryMetrics(answering(TagRegistry.class, "status", new RegistryStatus("r", false, 0, 0, 0, null, null))),
                new AlarmMetrics(answering(AlarmService.class, "summary", summary))));

        Function<String, String> type = name -> text.lines().filter(l -> l.startsWith("# TYPE " + name + " ")).findFirst()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).orElse("missing");
        Map<String, String> before = Map.ofEntries(Map.entry("nexus_http_requests_total", "counter"),
                Map.entry("nexus_http_request_duration_seconds", "histogram"), Map.entry("nexus_queries_total", "counter"),
                Map.entry("nexus_query_rows_total", "counter"), Map.entry("nexus_query_blocks_total", "counter"),
                Map.entry("nexus_query_read_bytes_total", "counter"), Map.entry("nexus_registry_version", "gauge"),
                Map.entry("nexus_registry_tags", "gauge"), Map.entry("nexus_registry_alarms", "gauge"),
                Map.entry("nexus_rma_bank_writes_total", "counter"), Map.entry("nexus_rma_bank_size_bytes", "gauge"),
                Map.entry("nexus_alarms_active", "gauge"), Map.entry("nexus_alarms_unacknowledged", "gauge"),
                Map.entry("nexus_alarms_shelved", "gauge"), Map.entry("nexus_alarms_suppressed", "gauge"),
                Map.entry("nexus_alarms_out_of_service", "gauge"), Map.entry("nexus_alarm_activations_10m", "gauge"),
                Map.entry("nexus_alarm_flood", "gauge"), Map.entry("nexus_alarms_chattering", "gauge"),
                Map.entry("nexus_alarm_scans_total", "counter"), Map.entry("nexus_alarm_scan_overruns_total", "counter"),
                Map.entry("nexus_alarm_scan_last_seconds", "gauge"), Map.entry("nexus_alarm_scan_max_seconds", "gauge"),
                Map.entry("nexus_alarm_events_total", "counter"), Map.entry("nexus_alarm_sink_events_total", "counter"));
        before.forEach((name, kind) -> assertThat(type.apply(name)).as(name).isEqualTo(kind));
        assertThat(TextFormatCheck.problems(text)).isEmpty();
    }

    @Test
    void hostileAndDuplicateSourcesStillGiveValidTextWithEachFamilyOnce() {
        MetricsSource hostile = () -> List.of(new MetricFamily("nexus_hostile", Type.GAUGE, "Help with \\ and\na second line.",
                List.of(Sample.of(Map.of("v", "\"}\n# TYPE nexus_hostile counter\n"), Double.POSITIVE_INFINITY),
                        Sample.of(Map.of("v", "\\"), Double.NaN))));
        MetricsSource sinkA = () -> List.of(new MetricFamily("nexus_sink_sent_total", Type.COUNTER, "Sent.",
                List.of(Sample.of(Map.of("sink", "a"), 1))));
        MetricsSource sinkB = () -> List.of(new MetricFamily("nexus_sink_sent_total", Type.COUNTER, "Sent.",
                List.of(Sample.of(Map.of("sink", "b"), 2))));
        MetricsSource clash = () -> List.of(MetricFamily.single("nexus_sink_sent_total", Type.GAUGE, "Sent.", 3));
        MetricsSource broken = () -> {
            throw new IllegalStateException("stopped");
        };
        List<MetricsSource> sources = new ArrayList<>(List.of(http, hostile, sinkA, broken, sinkB, clash));

        String text = render(sources);
        String again = render(sources); // a refusal is logged once; the answer stays the same

        assertThat(TextFormatCheck.problems(text)).isEmpty();
        assertThat(again).isEqualTo(text);
        assertThat(text).containsOnlyOnce("# TYPE nexus_sink_sent_total counter")
                .contains("nexus_sink_sent_total{sink=\"a\"} 1\nnexus_sink_sent_total{sink=\"b\"} 2\n")
                .contains("nexus_hostile{v=\"\\\"}\\n# TYPE nexus_hostile counter\\n\"} +Inf\n")
                .contains("# HELP nexus_hostile Help with \\\\ and\\na second line.\n");
        assertThat(TextFormatCheck.samples(text)).filteredOn(s -> s.name().equals("nexus_hostile"))
                .extracting(s -> s.labels().get("v")).containsExactly("\"}\n# TYPE nexus_hostile counter\n", "\\");
    }

    @Test
    void noSourcesGiveAnEmptyText() {
        assertThat(render(List.of())).isEmpty();
    }
}
