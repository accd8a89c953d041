package nexus.loki.internal;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
 * connection errors, no retry on other 4xx (logged once per kind of message, counted as dropped).
 * With a spool, what cannot be pushed goes to disk instead of being dropped: on a failed push, when
 * the queue is full, and at stop; the spool is shipped first, oldest first. {@link #offer} never
 * waits for Loki, and no disk or network work happens while the queue's lock is held. Thread-safe.
 */
final class Shipper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    private static final int MAX_LOGGED_REJECTIONS = 100;

    private final LokiSettings settings;
    private final LokiClient client;
    private final Spool spool;
    private final Entries entries;
    private final LokiStats stats;
    private final Backoff backoff;
    private final Thread thread;

    private final Object lock = new Object();
    /** Serialises writes to the spool, so that segments are written whole and in turn. */
    private final Object spillLock = new Object();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private long queueBytes;
    private long firstArrival;
    private long number;
    private boolean running = true;
    private volatile int queued;

    /** The batch being pushed, owned by the shipping thread while it runs. */
    private volatile List<Entry> inFlight;
    private volatile boolean inFlightFromSpool;
    private volatile int failures;
    private volatile Instant failingSince;
    private final Set<String> rejectionsLogged = new LinkedHashSet<>();

    /**
     * @param spool     the spool, or null when none is configured; its waiting entries are shipped first
     * @param lastNanos every stream's last timestamp, shared by the sink's shippers so that timestamps
     *                  stay distinct across reconfigurations
     */
    Shipper(LokiSettings settings, LokiClient client, Spool spool, LokiStats stats, Map<String, Long> lastNanos) {
        this.settings = settings;
        this.client = client;
        this.spool = spool;
        this.stats = stats;
        this.entries = new Entries(settings, lastNanos);
        this.backoff = new Backoff(settings.retryMinMillis(), settings.retryMaxMillis(), System.nanoTime());
        if (spool != null) {
            number = spool.lastNumber();
            for (Map.Entry<String, Long> last : spool.lastNanos().entrySet()) {
                entries.seen(last.getKey(), last.getValue());
            }
        }
        this.thread = new Thread(this, "nexus-loki-push");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues an event; returns at once (a full queue with a spool writes the queue to disk first).
     *
     * @return false when the shipper is stopping or stopped: the event was not taken
     */
    boolean offer(AlarmEvent event) {
        List<Entry> overflow = null;
        synchronized (lock) {
            if (!running) {
                return false;
            }
            Entry entry = entries.of(event, ++number);
            if (queue.isEmpty()) {
                firstArrival = System.nanoTime();
            }
            queue.addLast(entry);
            queueBytes += entry.size();
            if (queue.size() > settings.queueSize()) {
                if (spool != null) {
                    overflow = drainQueue();
                } else {
                    Entry oldest = queue.pollFirst();
                    queueBytes -= oldest.size();
                    stats.drop(LokiStats.Drop.QUEUE_FULL, 1);
                }
            }
            queued = queue.size();
            lock.notifyAll();
        }
        if (overflow != null && !spill(overflow)) {
            giveBack(overflow);
        }
        return true;
    }

    /** @return events waiting in memory, the batch being pushed included */
    int queued() {
        List<Entry> batch = inFlight;
        return queued + (batch != null && !inFlightFromSpool ? batch.size() : 0);
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

    /** @return when the current run of failures began, or null */
    Instant failingSince() {
        return failingSince;
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
                    TimeUnit.MILLISECONDS.sleep(settings.retryMaxMillis());
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
            queued = queue.size();
            firstArrival = System.nanoTime();
            return batch;
        }
    }

    private void delivered(List<Entry> batch) {
        stats.sent.addAndGet(batch.size());
        stats.success(Instant.now());
        if (inFlightFromSpool) {
            spool.commit(batch);
        }
        inFlight = null;
        if (failures > 0) {
            LOG.info("Loki accepts pushes again after {} failed attempts", failures);
        }
        failures = 0;
        failingSince = null;
        backoff.reset();
    }

    private void failed(List<Entry> batch, LokiClient.Outcome outcome) {
        stats.retried.addAndGet(batch.size());
        Instant now = Instant.now();
        stats.error(now, outcome.toString());
        if (failures++ == 0) {
            failingSince = now;
            LOG.warn("Loki push failed ({}); retrying with backoff, {}", outcome,
                    spool == null ? "events wait in memory (queue.size " + settings.queueSize() + ")"
                            : "events wait in the spool " + settings.spoolDir());
        }
        if (spool != null && !inFlightFromSpool) {
            List<Entry> all = new ArrayList<>(batch);
            synchronized (lock) {
                all.addAll(drainQueue());
            }
            if (spill(all)) {
                inFlight = null;
            } else {
                giveBack(all.subList(batch.size(), all.size()));
            }
        }
    }

    private void rejected(List<Entry> batch, LokiClient.Outcome outcome) {
        stats.drop(LokiStats.Drop.REJECTED, batch.size());
        stats.error(Instant.now(), outcome.toString());
        // Loki's messages carry timestamps and labels: one log line per kind of message, not per batch.
        String kind = outcome.status() + " " + outcome.detail().replaceAll("[0-9]+", "#");
        boolean first;
        synchronized (rejectionsLogged) {
            first = rejectionsLogged.size() < MAX_LOGGED_REJECTIONS && rejectionsLogged.add(kind);
        }
        if (first) {
            LOG.warn("Loki refused {} events and they are dropped (not retried; this kind of refusal is logged once): {}",
                    batch.size(), outcome);
        }
        if (inFlightFromSpool) {
            spool.commit(batch);
        }
        inFlight = null;
        failures = 0;
        failingSince = null;
        backoff.reset();
    }

    /** Takes everything out of the queue. Called with the lock held. */
    private List<Entry> drainQueue() {
        List<Entry> all = new ArrayList<>(queue);
        queue.clear();
        queueBytes = 0;
        queued = 0;
        return all;
    }

    /** Puts entries the spool did not take back at the head of the queue, dropping the oldest beyond its size. */
    private void giveBack(List<Entry> entries) {
        synchronized (lock) {
            for (int i = entries.size() - 1; i >= 0; i--) {
                queue.addFirst(entries.get(i));
                queueBytes += entries.get(i).size();
            }
            while (queue.size() > settings.queueSize()) {
                queueBytes -= queue.pollFirst().size();
                stats.drop(LokiStats.Drop.QUEUE_FULL, 1);
            }
            queued = queue.size();
        }
    }

    /**
     * Writes entries to the spool, outside the queue's lock.
     *
     * @return whether the spool took them (else they are still the caller's)
     */
    private boolean spill(List<Entry> entries) {
        if (entries.isEmpty()) {
            return true;
        }
        synchronized (spillLock) {
            try {
                long before = spool.dropped();
                spool.append(entries);
                stats.drop(LokiStats.Drop.SPOOL_FULL, spool.dropped() - before);
                return true;
            } catch (UncheckedIOException e) {
                stats.error(Instant.now(), e.getMessage());
                LOG.error("Loki sink: {}; events stay in memory", e.getMessage());
                return false;
            }
        }
    }

    /**
     * Stops the thread. What is left (the batch being pushed and the queue) goes to the spool, or,
     * without one, gets a last push, batch by batch, within two seconds; what still cannot go is
     * counted as dropped.
     */
    void stop(LokiClient lastChance) {
        List<Entry> left;
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        thread.interrupt();
        boolean interrupted = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            interrupted = true;
        }
        // The last spill and push must not fail because whoever stops us was interrupted.
        interrupted |= Thread.interrupted();
        try {
            synchronized (lock) {
                List<Entry> batch = inFlight != null && !inFlightFromSpool ? inFlight : List.of();
                left = new ArrayList<>(batch);
                left.addAll(drainQueue());
                inFlight = null;
            }
            if (left.isEmpty()) {
                return;
            }
            if (spool != null && spill(left)) {
                LOG.info("Loki sink stopped: {} events spooled for the next start", left.size());
                return;
            }
            lastPush(lastChance, left);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void lastPush(LokiClient lastChance, List<Entry> left) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        int sent = 0;
        try {
            while (sent < left.size() && System.nanoTime() < deadline) {
                List<Entry> batch = left.subList(sent, Math.min(left.size(), sent + settings.batchSize()));
                LokiClient.Outcome outcome = lastChance.push(PushBody.gzip(batch, settings.structuredMetadata()));
                if (!outcome.ok()) {
                    LOG.warn("Loki sink stopped: {} events could not be pushed ({}) and are dropped", left.size() - sent,
                            outcome);
                    break;
                }
                sent += batch.size();
                stats.sent.addAndGet(batch.size());
                stats.success(Instant.now());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stats.drop(LokiStats.Drop.STOPPED, left.size() - sent);
    }
}
