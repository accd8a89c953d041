package nexus.stream.internal;

import java.util.List;
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
 * ({@code nexus-stream-sampler-N}) for feed polls, one housekeeping thread
 * ({@code nexus-stream-housekeeping-1}), request threads ({@code nexus-stream-request-N}) for client
 * requests, which may wait for a query, and one thread for the re-runs of SQL subscriptions' queries
 * after a registry change ({@code nexus-stream-requery-1}). Connections take turns on the request
 * threads, one request each ({@link Connection}). The query engine admits queries on its own: a slot
 * kept for short queries, and queries past its {@code long.after} stopped (OVERLOADED) when the long
 * permits are taken; so a few more request threads than query slots let short requests (path and
 * alarm subscribes, short queries) go on while some threads wait for a slot.
 */
final class ThreadScheduling implements Scheduling {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadScheduling.class);

    private final ScheduledExecutorService samplers;
    private final ScheduledExecutorService housekeeper;
    private final ExecutorService requests;
    private final ExecutorService requeries;

    ThreadScheduling(int samplers, int requests) {
        this.samplers = Executors.newScheduledThreadPool(samplers, daemon("nexus-stream-sampler-"));
        this.housekeeper = Executors.newSingleThreadScheduledExecutor(daemon("nexus-stream-housekeeping-"));
        this.requests = Executors.newFixedThreadPool(requests, daemon("nexus-stream-request-"));
        this.requeries = Executors.newSingleThreadExecutor(daemon("nexus-stream-requery-"));
    }

    @Override
    public Periodic every(long periodMillis, Runnable task) {
        return periodic(samplers, periodMillis, task);
    }

    @Override
    public Periodic housekeeping(long periodMillis, Runnable task) {
        return periodic(housekeeper, periodMillis, task);
    }

    @Override
    public Executor requeries() {
        return requeries;
    }

    private static Periodic periodic(ScheduledExecutorService pool, long periodMillis, Runnable task) {
        ScheduledFuture<?> future = pool.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Streams: a periodic task failed; it runs again at its next tick", e);
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
        List<ExecutorService> pools = List.of(samplers, housekeeper, requests, requeries);
        pools.forEach(ExecutorService::shutdownNow);
        try {
            for (ExecutorService pool : pools) {
                pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
            }
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
