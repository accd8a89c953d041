package nexus.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One metric family as Prometheus shows it: a name, a type, a help line and its samples.
 *
 * @param name    the family's name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}); counters end in {@code _total}
 * @param type    counter, gauge or histogram
 * @param help    one line for people
 * @param samples the samples; a histogram's are its {@code _bucket} (with an {@code le} label),
 *                {@code _sum} and {@code _count} samples
 */
public record MetricFamily(String name, Type type, String help, List<Sample> samples) {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** The Prometheus metric types this contract carries. */
    public enum Type {
        COUNTER, GAUGE, HISTOGRAM
    }

    /**
     * One sample.
     *
     * @param suffix appended to the family's name: empty, or {@code _bucket}, {@code _sum},
     *               {@code _count} for a histogram
     * @param labels label names and values, in the order to show them
     * @param value  the value
     */
    public record Sample(String suffix, Map<String, String> labels, double value) {
        public Sample {
            suffix = suffix == null ? "" : suffix;
            labels = labels == null ? Map.of() : labels;
        }

        /** @return a sample without suffix */
        public static Sample of(Map<String, String> labels, double value) {
            return new Sample("", labels, value);
        }
    }

    public MetricFamily {
        Objects.requireNonNull(type, "type");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a Prometheus metric name");
        }
        help = help == null ? "" : help;
        samples = List.copyOf(samples);
    }

    /** @return a family with one unlabelled sample */
    public static MetricFamily single(String name, Type type, String help, double value) {
        return new MetricFamily(name, type, help, List.of(Sample.of(Map.of(), value)));
    }
}
