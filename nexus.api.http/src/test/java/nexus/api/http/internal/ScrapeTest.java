package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.MetricFamily;
import nexus.core.MetricFamily.Sample;
import nexus.core.MetricFamily.Type;
import nexus.core.MetricsSource;

/** One family of each name, valid whatever the sources answer. */
class ScrapeTest {

    private static MetricFamily sent(String sink, double value) {
        return new MetricFamily("nexus_sent_total", Type.COUNTER, "Events sent.", List.of(Sample.of(Map.of("sink", sink), value)));
    }

    @Test
    void familiesOfOneNameThatAgreeAreMergedIntoOne() {
        Scrape scrape = new Scrape();
        scrape.add("a", sent("loki-1", 1));
        scrape.add("a", MetricFamily.single("nexus_other", Type.GAUGE, "Other.", 7));
        scrape.add("b", sent("loki-2", 2));

        assertThat(scrape.families()).extracting(MetricFamily::name).containsExactly("nexus_sent_total", "nexus_other");
        assertThat(scrape.families().get(0).samples()).extracting(s -> s.labels().get("sink")).containsExactly("loki-1", "loki-2");
        assertThat(scrape.refused()).isEmpty();
    }

    @Test
    void aLaterFamilyOfOneNameWithAnotherTypeIsLeftOut() {
        Scrape scrape = new Scrape();
        scrape.add("first.Source", sent("loki-1", 1));
        scrape.add("second.Source", new MetricFamily("nexus_sent_total", Type.GAUGE, "Events sent.",
                List.of(Sample.of(Map.of("sink", "loki-2"), 2))));

        assertThat(scrape.families()).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(Type.COUNTER);
            assertThat(f.samples()).hasSize(1);
        });
        assertThat(scrape.refused()).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo("second.Source");
            assertThat(r.family()).isEqualTo("nexus_sent_total");
            assertThat(r.reason()).contains("already answered by first.Source as counter \"Events sent.\"", "gauge", "rename one");
        });
    }

    @Test
    void aLaterFamilyOfOneNameWithOtherHelpIsLeftOut() {
        Scrape scrape = new Scrape();
        scrape.add("a", sent("loki-1", 1));
        scrape.add("b", new MetricFamily("nexus_sent_total", Type.COUNTER, "Something else.",
                List.of(Sample.of(Map.of("sink", "loki-2"), 2))));

        assertThat(scrape.families()).singleElement().satisfies(f -> assertThat(f.help()).isEqualTo("Events sent."));
        assertThat(scrape.refused()).singleElement().satisfies(r -> assertThat(r.reason()).contains("Something else."));
    }

    @Test
    void aLaterFamilyRepeatingASeriesIsLeftOutWhole() {
        Scrape scrape = new Scrape();
        scrape.add("a", sent("loki-1", 1));
        scrape.add("b", new MetricFamily("nexus_sent_total", Type.COUNTER, "Events sent.",
                List.of(Sample.of(Map.of("sink", "loki-3"), 3), Sample.of(Map.of("sink", "loki-1"), 5))));

        assertThat(scrape.families()).singleElement().satisfies(f -> assertThat(f.samples()).singleElement()
                .satisfies(s -> assertThat(s.value()).isEqualTo(1)));
        assertThat(scrape.refused()).singleElement().satisfies(r -> assertThat(r.reason())
                .contains("nexus_sent_total{sink=loki-1} is already answered by a"));
    }

    @Test
    void familiesThatCannotBeWrittenAreLeftOut() {
        Scrape scrape = new Scrape();
        scrape.add("a", new MetricFamily("nexus_bad_label", Type.GAUGE, "G.", List.of(Sample.of(Map.of("a-b", "1"), 1))));
        scrape.add("a", new MetricFamily("nexus_reserved", Type.GAUGE, "G.", List.of(Sample.of(Map.of("__name__", "x"), 1))));
        scrape.add("a", new MetricFamily("nexus_gauge_with_suffix", Type.GAUGE, "G.",
                List.of(new Sample("_sum", Map.of(), 1))));
        scrape.add("a", new MetricFamily("nexus_bucket_without_le", Type.HISTOGRAM, "H.",
                List.of(new Sample("_bucket", Map.of(), 1))));
        scrape.add("a", new MetricFamily("nexus_plain_histogram_sample", Type.HISTOGRAM, "H.",
                List.of(Sample.of(Map.of(), 1))));
        scrape.add("a", MetricFamily.single("nexus_good", Type.GAUGE, "G.", 1));

        assertThat(scrape.families()).extracting(MetricFamily::name).containsExactly("nexus_good");
        assertThat(scrape.refused()).extracting(Scrape.Refusal::reason).satisfiesExactly(
                r -> assertThat(r).contains("'a-b' is not a Prometheus label name"),
                r -> assertThat(r).contains("'__name__' is not a Prometheus label name"),
                r -> assertThat(r).contains("suffix '_sum'", "does not fit a gauge"),
                r -> assertThat(r).contains("suffix '_bucket' with labels []", "histogram"),
                r -> assertThat(r).contains("suffix ''", "histogram"));
    }

    @Test
    void aSourceThatThrowsIsLeftOutAndTheOthersAreKept() {
        MetricsSource broken = () -> {
            throw new IllegalStateException("closed");
        };
        MetricsSource nothing = () -> null;
        Scrape scrape = new Scrape();
        scrape.ask(broken);
        scrape.ask(nothing);
        scrape.ask(() -> List.of(MetricFamily.single("nexus_good", Type.GAUGE, "G.", 1)));

        assertThat(scrape.families()).extracting(MetricFamily::name).containsExactly("nexus_good");
        assertThat(scrape.refused()).satisfiesExactly(r -> {
            assertThat(r.family()).isNull();
            assertThat(r.reason()).contains("threw java.lang.IllegalStateException: closed");
            assertThat(r.failure()).hasMessage("closed");
        }, r -> assertThat(r.reason()).contains("answered null"));
    }

    @Test
    void labelNamesFollowThePrometheusRule() {
        assertThat(Scrape.isLabelName("route")).isTrue();
        assertThat(Scrape.isLabelName("_x9")).isTrue();
        assertThat(Scrape.isLabelName("9x")).isFalse();
        assertThat(Scrape.isLabelName("")).isFalse();
        assertThat(Scrape.isLabelName("a:b")).isFalse();
        assertThat(Scrape.isLabelName("__x")).isFalse();
    }
}
