package nexus.stream.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the engine did since it started, for {@code /metrics}. Thread-safe. */
final class StreamCounters {

    /** Why the engine closed a connection, as {@code nexus_stream_closed_total} labels it. */
    enum Closed {
        SLOW_CONSUMER("slow_consumer"), TOO_MANY_MESSAGES("too_many_messages"), IDENTITY_ENDED("identity_ended");

        final String label;

        Closed(String label) {
            this.label = label;
        }
    }

    final LongAdder messages = new LongAdder();
    final LongAdder values = new LongAdder();
    final LongAdder overflows = new LongAdder();
    final LongAdder sampleFailures = new LongAdder();
    /** Feed members that threw while taking a sample (a bug: the log has the first of each run of them). */
    final LongAdder memberFailures = new LongAdder();
    /** Tags followed now, over every subscription of the node (a tag followed by two counts twice): items.node.max. */
    final AtomicLong watched = new AtomicLong();
    /** Tag samples a second of the open feeds, in thousandths ({@link SampleRate}): samples.node.max. */
    final AtomicLong sampling = new AtomicLong();
    private final LongAdder[] closed = new LongAdder[Closed.values().length];

    StreamCounters() {
        for (int i = 0; i < closed.length; i++) {
            closed[i] = new LongAdder();
        }
    }

    void closed(Closed reason) {
        closed[reason.ordinal()].increment();
    }

    long closedCount(Closed reason) {
        return closed[reason.ordinal()].sum();
    }
}
