package nexus.api.http.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nexus.core.MetricFamily;
import nexus.core.MetricsSource;

/**
 * One scrape: every {@link MetricsSource} asked once, its families checked, one family of each
 * name kept. Not thread-safe: one instance per scrape.
 *
 * <p>The rules, so that the text written is always valid whatever a source answers:
 * <ul>
 * <li>A source that throws is left out of this scrape.</li>
 * <li>A family is left out when a label name is not a Prometheus label name
 * ({@code [a-zA-Z_][a-zA-Z0-9_]*}, not starting with {@code __}), or a sample's suffix does not fit
 * its type (counters and gauges have none; a histogram has {@code _bucket} with an {@code le} label,
 * {@code _sum} and {@code _count}).</li>
 * <li>Two families of one name (two instances of a component, or two bundles that chose the same
 * name) are merged into one when they agree on type and help and share no series (suffix and
 * labels); otherwise the one that came later is left out. A family is never written twice.</li>
 * </ul>
 * Every family left out is reported in {@link #refused()}, for the caller to log.
 */
final class Scrape {

    /**
     * Something left out of the scrape.
     *
     * @param source  the source's class name
     * @param family  the family's name, or {@code null} when the whole source was left out
     * @param reason  why, in words that say how to fix it
     * @param failure what the source threw, or {@code null}
     */
    record Refusal(String source, String family, String reason, RuntimeException failure) {
        /** @return a stable key: one log line per source and family */
        String key() {
            return source + ' ' + family;
        }
    }

    private record Series(String suffix, Map<String, String> labels) {
    }

    /** The families of one name, as answered: usually one. */
    private static final class Merged {
        final String source;
        final MetricFamily first;
        List<MetricFamily.Sample> samples;
        Set<Series> series;

        Merged(String source, MetricFamily first) {
            this.source = source;
            this.first = first;
        }

        MetricFamily family() {
            return samples == null ? first : new MetricFamily(first.name(), first.type(), first.help(), samples);
        }
    }

    private final Map<String, Merged> families = new LinkedHashMap<>();
    private final List<Refusal> refused = new ArrayList<>();

    /** Asks one source and adds its answer. */
    void ask(MetricsSource source) {
        String name = source.getClass().getName();
        List<MetricFamily> answer;
        try {
            answer = source.metrics();
        } catch (RuntimeException e) {
            refused.add(new Refusal(name, null, "the source threw " + e + "; its metrics are left out until it answers", e));
            return;
        }
        if (answer == null) {
            refused.add(new Refusal(name, null, "the source answered null instead of a list of families", null));
            return;
        }
        for (MetricFamily family : answer) {
            if (family != null) {
                add(name, family);
            }
        }
    }

    /** Adds one family from the named source. */
    void add(String source, MetricFamily family) {
        String problem = problem(family);
        if (problem != null) {
            refused.add(new Refusal(source, family.name(), problem, null));
            return;
        }
        Merged merged = families.get(family.name());
        if (merged == null) {
            families.put(family.name(), new Merged(source, family));
            return;
        }
        MetricFamily first = merged.first;
        if (first.type() != family.type() || !first.help().equals(family.help())) {
            refused.add(new Refusal(source, family.name(), "the family is already answered by " + merged.source + " as "
                    + describe(first) + ", this one is " + describe(family)
                    + ": families of one name are merged only when type and help agree; rename one", null));
            return;
        }
        if (merged.series == null) {
            merged.series = new HashSet<>();
            merged.samples = new ArrayList<>(first.samples());
            for (MetricFamily.Sample sample : first.samples()) {
                merged.series.add(new Series(sample.suffix(), sample.labels()));
            }
        }
        for (MetricFamily.Sample sample : family.samples()) {
            if (merged.series.contains(new Series(sample.suffix(), sample.labels()))) {
                refused.add(new Refusal(source, family.name(), "the series " + family.name() + sample.suffix()
                        + sample.labels() + " is already answered by " + merged.source
                        + ": merged families must differ in their labels (add one that tells the sources apart)", null));
                return;
            }
        }
        for (MetricFamily.Sample sample : family.samples()) {
            merged.series.add(new Series(sample.suffix(), sample.labels()));
            merged.samples.add(sample);
        }
    }

    /** @return the families to write, each name once, in the order they first came */
    List<MetricFamily> families() {
        List<MetricFamily> all = new ArrayList<>(families.size());
        for (Merged merged : families.values()) {
            all.add(merged.family());
        }
        return all;
    }

    /** @return what was left out, in the order it came */
    List<Refusal> refused() {
        return List.copyOf(refused);
    }

    private static String describe(MetricFamily family) {
        return family.type().name().toLowerCase(java.util.Locale.ROOT) + " \"" + family.help() + "\"";
    }

    /** @return why the family cannot be written, or null */
    private static String problem(MetricFamily family) {
        for (MetricFamily.Sample sample : family.samples()) {
            if (sample == null) {
                return "a sample is null";
            }
            for (Map.Entry<String, String> label : sample.labels().entrySet()) {
                if (!isLabelName(label.getKey())) {
                    return "'" + label.getKey() + "' is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)";
                }
                if (label.getValue() == null) {
                    return "label '" + label.getKey() + "' has no value";
                }
            }
            String suffix = sample.suffix();
            boolean fits = switch (family.type()) {
                case COUNTER, GAUGE -> suffix.isEmpty();
                case HISTOGRAM -> suffix.equals("_bucket") ? sample.labels().containsKey("le")
                        : (suffix.equals("_sum") || suffix.equals("_count")) && !sample.labels().containsKey("le");
            };
            if (!fits) {
                return "sample suffix '" + suffix + "' with labels " + sample.labels().keySet() + " does not fit a "
                        + family.type().name().toLowerCase(java.util.Locale.ROOT)
                        + " (counters and gauges: none; histograms: _bucket with le, _sum, _count)";
            }
        }
        return null;
    }

    static boolean isLabelName(String name) {
        if (name == null || name.isEmpty() || name.startsWith("__")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}
