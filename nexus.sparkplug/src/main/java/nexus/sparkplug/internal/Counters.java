package nexus.sparkplug.internal;

import java.util.concurrent.atomic.LongAdder;

import nexus.sparkplug.SparkplugStatus;

/** The component's counters, shared by the MQTT link, the edge node and the command handler. Thread-safe. */
final class Counters {

    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder births = new LongAdder();
    final LongAdder rebirthRequests = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder writesRefused = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder gaps = new LongAdder();
    final LongAdder rebirthsRequested = new LongAdder();
    final LongAdder staleDeaths = new LongAdder();
    final LongAdder mirrorProblems = new LongAdder();
    /**
     * How far behind the last NDATA the host took in was: its arrival minus the payload's timestamp, ms
     * (the edge's clock against ours: it also shows clock skew); -1 before the first.
     */
    final java.util.concurrent.atomic.AtomicLong mirrorLagMillis = new java.util.concurrent.atomic.AtomicLong(-1);
    /** The same lag for every NDATA the host took in, as a histogram. */
    final LagHistogram mirrorLag = new LagHistogram();

    SparkplugStatus.Counts snapshot() {
        return new SparkplugStatus.Counts(messagesIn.sum(), messagesOut.sum(), births.sum(), rebirthRequests.sum(),
                writes.sum(), writesRefused.sum(), malformed.sum(), dropped.sum(), gaps.sum(), rebirthsRequested.sum(),
                staleDeaths.sum(), mirrorProblems.sum());
    }
}
