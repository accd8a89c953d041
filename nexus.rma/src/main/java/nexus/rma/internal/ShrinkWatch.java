package nexus.rma.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread ({@code nexus-rma-shrink-watch}) that checks at a fixed interval whether a mapped
 * file still has its size, so that readers need not ask the file system on every read: an
 * {@code fstat} costs 0.2 µs on a quiet machine and several on a busy one, more than a whole read of
 * a few small blocks, and a clock read to space the checks out costs 20–40 ns, half of one
 * (docs/benchmarks.md). It stops when the check says the file is no longer usable, or on
 * {@link #stop()}.
 */
final class ShrinkWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ShrinkWatch.class);

    /** How long {@link #stop()} waits for the thread. */
    private static final long STOP_MILLIS = 1_000;

    private final BooleanSupplier intact;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean stopped;

    /**
     * @param intact        checks the file, on the watch thread; false stops the watch (the file is
     *                      no longer used)
     * @param intervalNanos the time between two checks
     */
    ShrinkWatch(BooleanSupplier intact, long intervalNanos) {
        this.intact = intact;
        this.intervalNanos = intervalNanos;
        this.thread = new Thread(this::run, "nexus-rma-shrink-watch");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops the thread and waits for it, for at most a second. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(STOP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not stop within {} ms", thread.getName(), STOP_MILLIS);
        }
    }

    private void run() {
        long next = System.nanoTime();
        while (!stopped) {
            if (!intact.getAsBoolean()) {
                return;
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            } else {
                next = System.nanoTime(); // fell behind (a busy machine): do not catch up in a burst
            }
        }
    }

    @Override
    public String toString() {
        return thread.getName() + " every " + TimeUnit.NANOSECONDS.toMicros(intervalNanos) + " µs";
    }
}
