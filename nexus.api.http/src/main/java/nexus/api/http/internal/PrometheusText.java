package nexus.api.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import nexus.core.MetricFamily;

/**
 * Writes metric families in the Prometheus text format, version 0.0.4: per family one
 * {@code # HELP} and one {@code # TYPE} line, then its samples. Escaping follows the format: in help
 * text a backslash becomes {@code \\} and a line feed {@code \n}; in label values the double quote
 * becomes {@code \"} as well. Values are Go floats: integral values without a fraction,
 * {@code +Inf}, {@code -Inf} and {@code NaN}.
 *
 * <p>It writes what it is given: a family's name is checked when the family is made, its labels
 * and suffixes by {@link Scrape}, which also keeps one family of each name.
 */
final class PrometheusText {

    /** The content type of what this class writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4";

    private PrometheusText() {
    }

    /** @return the families in the text format, UTF-8 */
    static byte[] render(List<MetricFamily> families) {
        return render(families, 16_384);
    }

    /**
     * @param capacity the characters to reserve: the last scrape's length spares copying the text
     *                 as it grows
     * @return the families in the text format, UTF-8
     */
    static byte[] render(List<MetricFamily> families, int capacity) {
        StringBuilder out = new StringBuilder(capacity);
        for (MetricFamily family : families) {
            family(out, family);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends one family: its help and type lines, then its samples. */
    static void family(StringBuilder out, MetricFamily family) {
        String name = family.name();
        out.append("# HELP ").append(name).append(' ');
        help(out, family.help());
        out.append("\n# TYPE ").append(name).append(' ').append(family.type().name().toLowerCase(Locale.ROOT)).append('\n');
        for (MetricFamily.Sample sample : family.samples()) {
            out.append(name).append(sample.suffix());
            Map<String, String> labels = sample.labels();
            if (!labels.isEmpty()) {
                char separator = '{';
                for (Map.Entry<String, String> label : labels.entrySet()) {
                    out.append(separator).append(label.getKey()).append("=\"");
                    labelValue(out, label.getValue());
                    out.append('"');
                    separator = ',';
                }
                out.append('}');
            }
            out.append(' ');
            number(out, sample.value());
            out.append('\n');
        }
    }

    /** @return a sample value as the format writes it */
    static String number(double value) {
        StringBuilder out = new StringBuilder(24);
        number(out, value);
        return out.toString();
    }

    private static void number(StringBuilder out, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else if (value == Double.POSITIVE_INFINITY) {
            out.append("+Inf");
        } else if (value == Double.NEGATIVE_INFINITY) {
            out.append("-Inf");
        } else {
            out.append(value); // Double.toString: NaN, or digits Go's ParseFloat reads
        }
    }

    /** Help text: backslash and line feed escaped. */
    static void help(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** A label value: backslash, double quote and line feed escaped. */
    static void labelValue(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
