package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The strict reader that stands in for promtool must find what promtool would find. */
class TextFormatCheckTest {

    private static final String GOOD = """
            # HELP nexus_a_total A counter.
            # TYPE nexus_a_total counter
            nexus_a_total{x="a \\"b\\" \\\\ c\\nd"} 3
            # HELP nexus_h Latency.
            # TYPE nexus_h histogram
            nexus_h_bucket{route="/",le="0.5"} 1
            nexus_h_bucket{route="/",le="+Inf"} 2
            nexus_h_sum{route="/"} 1.0E-4
            nexus_h_count{route="/"} 2
            # HELP nexus_g A gauge with \\\\ and \\n in its help.
            # TYPE nexus_g gauge
            nexus_g NaN
            """;

    @Test
    void aValidTextHasNoProblemsAndItsSamplesAreRead() {
        assertThat(TextFormatCheck.problems(GOOD)).isEmpty();
        assertThat(TextFormatCheck.samples(GOOD)).first()
                .satisfies(s -> assertThat(s.labels()).containsEntry("x", "a \"b\" \\ c\nd"));
    }

    @Test
    void findsAFamilyWrittenTwice() {
        assertThat(TextFormatCheck.problems(GOOD + "# HELP nexus_g Again.\n# TYPE nexus_g gauge\nnexus_g 1\n"))
                .anyMatch(p -> p.contains("nexus_g appears a second time"));
    }

    @Test
    void findsASampleBeforeItsHelpAndType() {
        assertThat(TextFormatCheck.problems("nexus_g 1\n# HELP nexus_g G.\n# TYPE nexus_g gauge\n"))
                .anyMatch(p -> p.contains("before any HELP and TYPE"));
        assertThat(TextFormatCheck.problems("# TYPE nexus_g gauge\n# HELP nexus_g G.\nnexus_g 1\n"))
                .anyMatch(p -> p.contains("does not follow its HELP"));
    }

    @Test
    void findsASampleOfAnotherFamily() {
        assertThat(TextFormatCheck.problems("# HELP nexus_g G.\n# TYPE nexus_g gauge\nnexus_other 1\n"))
                .anyMatch(p -> p.contains("does not belong to the gauge family nexus_g"));
    }

    @Test
    void findsRawQuotesNewlinesAndBadEscapesInLabelValues() {
        String head = "# HELP nexus_g G.\n# TYPE nexus_g gauge\n";
        assertThat(TextFormatCheck.problems(head + "nexus_g{x=\"a\"b\"} 1\n")).isNotEmpty();
        assertThat(TextFormatCheck.problems(head + "nexus_g{x=\"a\nb\"} 1\n")).isNotEmpty();
        assertThat(TextFormatCheck.problems(head + "nexus_g{x=\"a\\tb\"} 1\n"))
                .anyMatch(p -> p.contains("escape other than"));
        assertThat(TextFormatCheck.problems("# HELP nexus_g a \\t b\n# TYPE nexus_g gauge\nnexus_g 1\n"))
                .anyMatch(p -> p.contains("HELP of nexus_g has an escape"));
    }

    @Test
    void findsInvalidNamesAndValues() {
        assertThat(TextFormatCheck.problems("# HELP nexus-g G.\n# TYPE nexus-g gauge\nnexus-g 1\n"))
                .anyMatch(p -> p.contains("invalid metric name"));
        assertThat(TextFormatCheck.problems("# HELP nexus_g G.\n# TYPE nexus_g gauge\nnexus_g{a-b=\"1\"} 1\n"))
                .anyMatch(p -> p.contains("invalid label name"));
        assertThat(TextFormatCheck.problems("# HELP nexus_g G.\n# TYPE nexus_g gauge\nnexus_g Infinity\n"))
                .anyMatch(p -> p.contains("is not a value"));
    }

    @Test
    void findsWhatPromtoolLints() {
        assertThat(TextFormatCheck.problems("# HELP nexus_c \n# TYPE nexus_c counter\nnexus_c 1\n"))
                .anyMatch(p -> p.contains("no help text")).anyMatch(p -> p.contains("does not end in _total"));
    }

    @Test
    void findsAHistogramWithoutItsInfBucketAndRepeatedSeries() {
        assertThat(TextFormatCheck.problems("# HELP nexus_h H.\n# TYPE nexus_h histogram\nnexus_h_bucket{le=\"1\"} 1\n"
                + "nexus_h_count 1\n")).anyMatch(p -> p.contains("no le=\"+Inf\" bucket"));
        assertThat(TextFormatCheck.problems("# HELP nexus_g G.\n# TYPE nexus_g gauge\nnexus_g{a=\"1\"} 1\nnexus_g{a=\"1\"} 2\n"))
                .anyMatch(p -> p.contains("appears twice"));
    }

    @Test
    void findsBlankLinesAndAMissingFinalLineFeed() {
        assertThat(TextFormatCheck.problems("# HELP nexus_g G.\n# TYPE nexus_g gauge\n\nnexus_g 1")).anyMatch(p -> p.contains("blank"))
                .anyMatch(p -> p.contains("does not end with a line feed"));
    }
}
