package nexus.stream.internal;

import java.util.Collection;
import java.util.Locale;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * What sampling costs: tag samples a second, {@code tags × 1000 / samplingMs}, kept in thousandths
 * of a sample so that sums of many slow feeds (1 tag every 60 s is 0.0167 a second) stay exact
 * enough and never round to nothing. The budgets {@code samples.connection.max} and
 * {@code samples.node.max} are in whole samples a second.
 */
final class SampleRate {

    /** Thousandths of a sample a second per sample a second. */
    static final long UNIT = 1000;

    private SampleRate() {
    }

    /** @return the sample rate of this many tags at this interval, in thousandths, rounded up */
    static long of(int tags, int samplingMs) {
        return (tags * 1000L * UNIT + samplingMs - 1) / samplingMs;
    }

    /**
     * Checks {@code samples.connection.max} before a connection subscribes to more tags.
     *
     * @param subscriptions the connection's subscriptions now
     * @param max           {@code samples.connection.max}, whole samples a second
     * @throws NexusException OVERLOADED when the connection's tag subscriptions and this one would
     *                        sample more than {@code max} tags a second
     */
    static void checkConnection(Collection<Subscription> subscriptions, int tags, int samplingMs, long max) {
        long taken = 0;
        for (Subscription subscription : subscriptions) {
            if (subscription instanceof TagSubscription tagSubscription) {
                taken += tagSubscription.sampleRate();
            }
        }
        long cost = of(tags, samplingMs);
        if (taken + cost > max * UNIT) {
            throw new NexusException(ErrorCode.OVERLOADED, "this subscription samples " + text(cost) + " tags a second ("
                    + tags + " tags every " + samplingMs + " ms) and this connection's subscriptions sample " + text(taken)
                    + " already; a connection samples at most " + String.format(Locale.ROOT, "%,d", max) + " a second"
                    + " (samples.connection.max): subscribe to fewer tags or sample less often (a longer samplingMs)");
        }
    }

    /** @return a rate in thousandths as whole samples a second, rounded up, e.g. {@code 900,000} */
    static String text(long rate) {
        return String.format(Locale.ROOT, "%,d", (rate + UNIT - 1) / UNIT);
    }
}
