package nexus.loki.internal;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmEvent;

/**
 * Ships entries to Loki on a thread of its own ({@code nexus-loki-push}): a bounded queue in memory,
 * batches by count, bytes and time, retries with exponential backoff and jitter on 429, 5xx and
 * connection errors, no retry on other 4xx (logged once per message, counted as dropped). With a
 * spool, what cannot be pushed goes to disk instead of being dropped: on a failed push, when the
 * queue is full, and at stop; the spool is shipped first, oldest first. {@link #offer} never blocks
 * on Loki. Thread-safe.
 */
final class Shipper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);

    private final LokiSettings settings;
    private final LokiClient client;
    private final Spool spool;
    private final Entries entries;
    private final LokiStats stats;
    private final Backoff backoff;
    private final Thread thread;

    private final Object lock = new Object();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private long queueBytes;
    private long firstArrival;
    private long number;
    private boolean running = true;

    /** The batch being pushed (owned by the shipping thread until it stops). */
    private volatile List<Entry> inFlight;
    private volatile boolean inFlightFromSpool;
    private volatile int failures;
    private final Set<String> rejectionsLogged = new HashSet<>();

    /**
     * @param spool the spool, or null when none is configured; its waiting entries are shipped first
     */
    Shipper(LokiSettings settings, LokiClient client, Spool spool, LokiStats stats) {
        this.settings = settings;
        this.client = client;
        this.spool = spool;
        this.stats = stats;
        this.entries = new Entries(settings);
        this.backoff = new Backoff(settings.retryMinMillis(), settings.retryMaxMillis(), System.nanoTime());
        if (spool != null) {
            number = spool.lastNumber();
            for (Map.Entry<String, Long> last : spool.lastNanos().entrySet()) {
                entries.seen(last.getKey(), last.getValue());
            }
            stats.drop(LokiStats.Drop.SPOOL_CORRUPT, spool.corrupt());
        }
        this.thread = new Thread(this, "nexus-loki-push");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues an event; returns at once. */
    void offer(AlarmEvent event) {
        synchronized (lock) {
            Entry entry = entries.of(event, ++number);
            if (queue.isEmpty()) {
                firstArrival = System.nanoTime();
            }
            queue.addLast(entry);
            queueBytes += entry.size();
            if (queue.size() > settings.queueSize()) {
                if (spool == null || !spill(List.of())) {
                    Entry oldest = queue.pollFirst();
                    queueBytes -= oldest.size();
                    stats.drop(LokiStats.Drop.QUEUE_FULL, 1);
                }
            }
            lock.notifyAll();
        }
    }

    int queued() {
        synchronized (lock) {
            return queue.size() + (inFlight != null && !inFlightFromSpool ? inFlight.size() : 0);
        }
    }

    long spooled() {
        return spool == null ? 0 : spool.entries();
    }

    long spoolBytes() {
        return spool == null ? 0 : spool.bytes();
    }

    /** @return pushes that failed in a row (0: the last one worked) */
    int failures() {
        return failures;
    }

    @Override
    public void run() {
        while (isRunning()) {
            try {
                List<Entry> batch = inFlight;
                if (batch == null) {
                    if (spool != null && !spool.isEmpty()) {
                        batch = spool.peek(settings.batchSize(), settings.batchBytes());
                        inFlightFromSpool = true;
                    } else {
                        batch = takeBatch();
                        inFlightFromSpool = false;
                    }
                    if (batch == null || batch.isEmpty()) {
                        continue;
                    }
                    inFlight = batch;
                }
                LokiClient.Outcome outcome = client.push(PushBody.gzip(batch, settings.structuredMetadata()));
                stats.push(outcome.nanos(), outcome.ok());
                if (outcome.ok()) {
                    delivered(batch);
                } else if (outcome.retryable()) {
                    failed(batch, outcome);
                    TimeUnit.MILLISECONDS.sleep(backoff.next());
                } else {
                    rejected(batch, outcome);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // A spool that cannot be read or written: note it, wait, try again; events stay where they are.
                stats.error(Instant.now(), e.getMessage());
                LOG.error("Loki sink: {}", e.getMessage());
                try {
                    TimeUnit.MILLISECONDS.sleep(backoff.next());
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private boolean isRunning() {
        synchronized (lock) {
            return running;
        }
    }

    /** Waits for a batch: full by count or bytes, or as old as batch.wait. @return null when stopping */
    private List<Entry> takeBatch() throws InterruptedException {
        synchronized (lock) {
            while (running && queue.isEmpty()) {
                lock.wait();
            }
            if (!running) {
                return null;
            }
            long deadline = firstArrival + TimeUnit.MILLISECONDS.toNanos(settings.batchWaitMillis());
            while (running && queue.size() < settings.batchSize() && queueBytes < settings.batchBytes()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            List<Entry> batch = new ArrayList<>(Math.min(queue.size(), settings.batchSize()));
            int size = 0;
            while (!queue.isEmpty() && batch.size() < settings.batchSize()) {
                Entry next = queue.peekFirst();
                if (!batch.isEmpty() && size + next.size() > settings.batchBytes()) {
                    break;
                }
                batch.add(queue.pollFirst());
                size += next.size();
            }
            queueBytes -= size;
            firstArrival = System.nanoTime();
            return batch;
        }
    }

    private void delivered(List<Entry> batch) {
        stats.sent.addAndGet(batch.size());
        stats.success(Instant.now());
        if (inFlightFromSpool) {
            spool.commit(batch.size());
        }
        inFlight = null;
        if (failures > 0) {
            LOG.info("Loki accepts pushes again after {} failed attempts", failures);
        }
        failures = 0;
        backoff.reset();
    }

    private void failed(List<Entry> batch, LokiClient.Outcome outcome) {
        stats.retried.addAndGet(batch.size());
        stats.error(Instant.now(), outcome.toString());
        failures++;
        if (failures == 1) {
            LOG.warn("Loki push failed ({}); retrying with backoff, {}", outcome,
                    spool == null ? "events wait in memory (queue.size " + settings.queueSize() + ")"
                            : "events wait in the spool " + settings.spoolDir());
        }
        if (spool != null && !inFlightFromSpool) {
            synchronized (lock) {
                spill(batch);
            }
        }
    }

    private void rejected(List<Entry> batch, LokiClient.Outcome outcome) {
        stats.drop(LokiStats.Drop.REJECTED, batch.size());
        stats.error(Instant.now(), outcome.toString());
        synchronized (rejectionsLogged) {
            if (rejectionsLogged.add(outcome.toString())) {
                LOG.warn("Loki refused {} events and they are dropped (not retried): {}", batch.size(), outcome);
            }
        }
        if (inFlightFromSpool) {
            spool.commit(batch.size());
        }
        inFlight = null;
        failures = 0;
        backoff.reset();
    }

    /**
     * Moves the batch being pushed (if it came from memory) and the whole queue to the spool, in
     * order. Called with the lock held. Nothing is removed from memory unless the spool took it.
     *
     * @return whether the spool took it
     */
    private boolean spill(List<Entry> batch) {
        List<Entry> all = new ArrayList<>(batch.size() + queue.size());
        all.addAll(batch);
        all.addAll(queue);
        try {
            long before = spool.dropped();
            spool.append(all);
            stats.drop(LokiStats.Drop.SPOOL_FULL, spool.dropped() - before);
        } catch (UncheckedIOException e) {
            stats.error(Instant.now(), e.getMessage());
            LOG.error("Loki sink: {}; events stay in memory", e.getMessage());
            return false;
        }
        if (!batch.isEmpty()) {
            inFlight = null;
        }
        queue.clear();
        queueBytes = 0;
        return true;
    }

    /**
     * Stops the thread. What is left (the batch being pushed and the queue) goes to the spool, or,
     * without one, gets one last push with a short time limit; what still cannot go is counted as
     * dropped.
     */
    void stop(LokiClient lastChance) {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            List<Entry> batch = inFlight != null && !inFlightFromSpool ? inFlight : List.of();
            int left = batch.size() + queue.size();
            if (left == 0) {
                return;
            }
            if (spool != null && spill(batch)) {
                LOG.info("Loki sink stopped: {} events spooled for the next start", left);
                return;
            }
            List<Entry> all = new ArrayList<>(batch);
            all.addAll(queue);
            queue.clear();
            inFlight = null;
            try {
                LokiClient.Outcome outcome = lastChance.push(PushBody.gzip(all, settings.structuredMetadata()));
                if (outcome.ok()) {
                    stats.sent.addAndGet(all.size());
                    stats.success(Instant.now());
                    return;
                }
                LOG.warn("Loki sink stopped: {} events could not be pushed ({}) and are dropped", left, outcome);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stats.drop(LokiStats.Drop.STOPPED, all.size());
        }
    }
}
