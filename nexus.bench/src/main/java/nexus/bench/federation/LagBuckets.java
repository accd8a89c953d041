package nexus.bench.federation;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus histogram's cumulative buckets, read from {@code /metrics} text, and quantiles
 * interpolated linearly inside a bucket as Prometheus' {@code histogram_quantile} does: a figure within
 * its bucket's bounds, not an observed value. Immutable.
 */
final class LagBuckets {

    private final TreeMap<Double, Double> cumulative;

    private LagBuckets(TreeMap<Double, Double> cumulative) {
        this.cumulative = cumulative;
    }

    /**
     * @param metricsText a {@code /metrics} answer
     * @param family      the histogram family's name
     * @return its buckets (upper bound, seconds → cumulative count; +Inf as {@link Double#POSITIVE_INFINITY});
     *         empty when the text does not have the family
     */
    static LagBuckets parse(String metricsText, String family) {
        Pattern line = Pattern.compile("^" + Pattern.quote(family) + "_bucket\\{(?:[^}]*,)?le=\"([^\"]+)\"[^}]*\\}\\s+(\\S+)",
                Pattern.MULTILINE);
        TreeMap<Double, Double> buckets = new TreeMap<>();
        Matcher m = line.matcher(metricsText);
        while (m.find()) {
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
        }
        return new LagBuckets(buckets);
    }

    /** @return the observations made after {@code before} was read (bucket by bucket) */
    LagBuckets since(LagBuckets before) {
        TreeMap<Double, Double> delta = new TreeMap<>();
        cumulative.forEach((le, count) -> delta.put(le, count - before.cumulative.getOrDefault(le, 0.0)));
        return new LagBuckets(delta);
    }

    /** @return observations counted */
    long count() {
        return cumulative.isEmpty() ? 0 : Math.round(cumulative.lastEntry().getValue());
    }

    boolean isEmpty() {
        return cumulative.isEmpty();
    }

    /**
     * @param q the quantile, 0..1
     * @return its value in seconds, linearly interpolated in its bucket (from 0 in the first one); the
     *         highest finite bound when it falls in +Inf (the true value is above); NaN with no observation
     */
    double quantile(double q) {
        long count = count();
        if (count == 0) {
            return Double.NaN;
        }
        double rank = q * count;
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            double upper = bucket.getKey();
            double upTo = bucket.getValue();
            if (upTo >= rank && upTo > below) {
                if (Double.isInfinite(upper)) {
                    return lower;
                }
                return lower + (upper - lower) * (rank - below) / (upTo - below);
            }
            lower = upper;
            below = upTo;
        }
        return lower;
    }

    /** @return the highest finite bound (where the buckets stop telling apart) */
    double highestBound() {
        return cumulative.keySet().stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
