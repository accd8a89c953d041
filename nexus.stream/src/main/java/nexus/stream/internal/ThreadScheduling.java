package nexus.stream.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Scheduling} on the engine's own daemon threads: a small fixed pool of samplers
 * ({@code nexus-stream-sampler-N}) for feed polls and housekeeping, and request threads
 * ({@code nexus-stream-request-N}) for client requests, which may wait for a query.
 */
final class ThreadScheduling implements Scheduling {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadScheduling.class);

    private final ScheduledExecutorService samplers;
    private final ExecutorService requests;

    ThreadScheduling(int samplers, int requests) {
        this.samplers = Executors.newScheduledThreadPool(samplers, daemon("nexus-stream-sampler-"));
        this.requests = Executors.newFixedThreadPool(requests, daemon("nexus-stream-request-"));
    }

    @Override
    public Periodic every(long periodMillis, Runnable task) {
        ScheduledFuture<?> future = samplers.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Stream sampler: a periodic task failed; it runs again at its next tick", e);
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public Executor requests() {
        return requests;
    }

    /** Stops every thread, waiting at most {@code millis} for each pool. */
    void stop(long millis) {
        samplers.shutdownNow();
        requests.shutdownNow();
        try {
            samplers.awaitTermination(millis, TimeUnit.MILLISECONDS);
            requests.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
