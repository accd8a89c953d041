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
import java.util.function.LongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmEvent;
import nexus.core.AuditRecord;

/**
 * Ships entries — alarm events and audit records, in one queue, in the order they came — to Loki on
 * a thread of its own ({@code nexus-loki-push}): a bounded queue in memory,
 * batches by count, bytes and time, retries with exponential backoff and jitter on 429, 5xx and
 * connection errors, no retry on other 4xx (logged once per kind of message, counted as dropped).
 *
 * <p>With a spool, what cannot be pushed goes to disk instead of being dropped, and the spool is
 * shipped first, oldest first. While the sink is <em>spooling</em> — a push failed and the next one
 * has not worked yet, or the spool still holds events, or a push has gone unanswered for
 * {@code spool.flush} — no event waits in memory longer than {@code spool.flush}: a second thread
 * ({@code nexus-loki-spool}) writes the queue to the spool when its oldest event reaches that age (a
 * segment per interval at most), and writes a copy of the batch of a push that has gone unanswered
 * that long (the copy is taken back when Loki answers, so an event is never both spooled and sent).
 * The push thread cannot do this itself: a push may block for {@code timeout.request}. While Loki
 * answers, nothing is written ahead: a healthy Loki takes each event within {@code batch.wait}, a
 * window as short as {@code spool.flush}, and writing ahead would cost a forced write per interval
 * for ever; only when the push thread falls behind (Loki answers, but too slowly for the rate) does
 * the queue go to the spool, once its oldest event has waited {@code batch.wait + spool.flush}. The
 * queue is also spooled when {@code queue.size} entries wait (by the spool thread), on a failed push
 * (by the push thread) and at stop.
 *
 * <p>{@link #offer} never does I/O and never waits for Loki, the disk or a lock held during either:
 * it queues the entry under the queue's lock, which is only ever held for work in memory, and
 * returns. It does not build the entry's JSON line either: that happens on the sink's threads, the
 * push thread building a batch's lines outside the queue's lock before it takes the batch (the
 * queue's byte count uses each entry's estimate; a batch ends by the real size). Every spool read
 * and write happens on the sink's threads (at stop, on the stopping
 * thread once they are gone). What a burst faster than the disk cannot leave in memory is dropped,
 * oldest first, counted {@code queue_full} under its input: without a spool beyond
 * {@code queue.size} entries, with one beyond twice {@code queue.size} entries not yet on disk (the
 * spool thread writes the queue once {@code queue.size} wait, and as many again may arrive while
 * it writes); entries already being written are never dropped.
 *
 * <p>Order: entries are numbered as they are queued, segments are shipped by number, and the queue
 * is only pushed directly when nothing is in the spool or on its way there; so a stream's entries
 * reach Loki in the order of their timestamps. Thread-safe.
 */
final class Shipper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    private static final int MAX_LOGGED_REJECTIONS = 100;

    private final LokiSettings settings;
    private final LokiClient client;
    /** Set once, by {@link #start(Spool)} under the queue's lock, before the threads start. */
    private volatile Spool spool;
    private final Entries entries;
    private final LokiStats stats;
    private final Backoff backoff;
    private final long flushNanos;
    private final long batchWaitNanos;
    private final Thread thread;
    private volatile Thread spooler;

    private final Object lock = new Object();
    /**
     * Serialises writes to the spool, so that segments are written whole and in turn; also taken
     * (before the queue's lock) to copy or settle the batch of the push under way.
     */
    private final Object spillLock = new Object();
    /** An entry in the queue and when it arrived (System.nanoTime). */
    private record Waiting(Entry entry, long arrived) {
    }

    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private long queueBytes;
    /** When the batch being filled began (batch.wait counts from here). */
    private long firstArrival;
    private long number;
    private boolean running = true;
    /** Entries in memory only: the queue and {@link #unwritten}. */
    private volatile int queued;
    /** Drains of the queue on their way to the spool: the queue must not be pushed past them. */
    private int spilling;
    /** Entries of those drains not yet on disk: they count against the limit but are never dropped. */
    private int unwritten;
    /** The batch taken from the queue whose push is under way, when there is a spool; else null. */
    private List<Entry> live;
    private long liveSince;
    /** Whether a copy of {@link #live} is in the spool. */
    private volatile boolean liveCopied;

    /** The batch being pushed, owned by the shipping thread while it runs. */
    private volatile List<Entry> inFlight;
    private volatile boolean inFlightFromSpool;
    private volatile int failures;
    private volatile Instant failingSince;
    private final Set<String> rejectionsLogged = new LinkedHashSet<>();

    /**
     * A shipper whose queue takes entries at once; it ships once {@link #start(Spool) started}.
     *
     * @param lastNanos every stream's last timestamp, shared by the sink's shippers so that timestamps
     *                  stay distinct across reconfigurations
     */
    Shipper(LokiSettings settings, LokiClient client, LokiStats stats, Map<String, Long> lastNanos) {
        this.settings = settings;
        this.client = client;
        this.stats = stats;
        this.entries = new Entries(settings, lastNanos);
        this.backoff = new Backoff(settings.retryMinMillis(), settings.retryMaxMillis(), System.nanoTime());
        this.flushNanos = TimeUnit.MILLISECONDS.toNanos(settings.spoolFlushMillis());
        this.batchWaitNanos = TimeUnit.MILLISECONDS.toNanos(settings.batchWaitMillis());
        this.thread = new Thread(this, "nexus-loki-push");
        this.thread.setDaemon(true);
    }

    /** A shipper with its spool, started with {@link #start()}. */
    Shipper(LokiSettings settings, LokiClient client, Spool spool, LokiStats stats, Map<String, Long> lastNanos) {
        this(settings, client, stats, lastNanos);
        attach(spool);
    }

    void start() {
        thread.start();
        if (spooler != null) {
            spooler.start();
        }
    }

    /**
     * Starts shipping with this spool (or none): its entries go first, and entries queued since the
     * shipper was made are numbered after them.
     */
    void start(Spool spool) {
        attach(spool);
        start();
    }

    private void attach(Spool attached) {
        // Read before the queue's lock is taken: nothing that may wait for the disk runs under it.
        Map<String, Long> spooledNanos = attached == null ? Map.of() : attached.lastNanos();
        long spooledNumber = attached == null ? 0 : attached.lastNumber();
        synchronized (lock) {
            spool = attached;
            if (attached == null) {
                return;
            }
            for (Map.Entry<String, Long> last : spooledNanos.entrySet()) {
                entries.seen(last.getKey(), last.getValue());
            }
            number = Math.max(number, spooledNumber);
            List<Waiting> early = new ArrayList<>(queue);
            queue.clear();
            for (Waiting waiting : early) {
                queue.addLast(new Waiting(waiting.entry().numbered(++number), waiting.arrived()));
            }
            spooler = new Thread(this::spoolWhileWaiting, "nexus-loki-spool");
            spooler.setDaemon(true);
        }
    }

    /**
     * Queues an event and returns: no I/O, no wait for Loki, the disk or a lock held during either.
     * When too many entries wait in memory the oldest queued one is dropped and counted (see the
     * class comment); with a spool, the spool thread is woken to write the queue once
     * {@code queue.size} entries wait.
     *
     * @return false when the shipper is stopping or stopped: the event was not taken
     */
    boolean offer(AlarmEvent event) {
        return offer(number -> entries.of(event, number));
    }

    /** Queues an audit record, as {@link #offer(AlarmEvent)} does an event. */
    boolean offer(AuditRecord record) {
        return offer(number -> entries.of(record, number));
    }

    private boolean offer(LongFunction<Entry> entry) {
        synchronized (lock) {
            if (!running) {
                return false;
            }
            add(entry.apply(++number));
            trim();
            // Waiters care about the first entry (a batch and spool.flush start) and about a full batch
            // (queue.size is at least batch.size, so a full queue wakes the spool thread too).
            if (queue.size() == 1 || queue.size() >= settings.batchSize() || queueBytes >= settings.batchBytes()) {
                lock.notifyAll();
            }
        }
        return true;
    }

    /**
     * Drops the oldest queued entries while more entries than the limit are in memory only: without
     * a spool queue.size, with one twice that (the queue and the entries being written). Called with
     * the lock held.
     */
    private void trim() {
        int limit = spool == null ? settings.queueSize() : 2 * settings.queueSize();
        while (!queue.isEmpty() && queue.size() + unwritten > limit) {
            Entry oldest = queue.pollFirst().entry();
            queueBytes -= oldest.estimate();
            stats.drop(LokiStats.Drop.QUEUE_FULL, oldest.input(), 1);
        }
        queued = queue.size() + unwritten;
    }

    /** Appends an entry to the queue. Called with the lock held. */
    private void add(Entry entry) {
        long now = System.nanoTime();
        if (queue.isEmpty()) {
            firstArrival = now;
        }
        queue.addLast(new Waiting(entry, now));
        queueBytes += entry.estimate();
    }

    /**
     * @return events waiting in memory only: the queue, entries on their way to the spool, and the
     *         batch being pushed (unless a copy is on disk)
     */
    int queued() {
        List<Entry> batch = inFlight;
        return queued + (batch != null && !inFlightFromSpool && !liveCopied ? batch.size() : 0);
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
                    batch = next();
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
                    pause(backoff.next());
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
                    pause(settings.retryMaxMillis());
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Waits before the next attempt: the time given, or until the shipper stops. */
    private void pause(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            for (long left = deadline - System.nanoTime(); running && left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    private boolean isRunning() {
        synchronized (lock) {
            return running;
        }
    }

    /** @return the next batch: the spool's oldest entries, else the queue's; empty or null to look again */
    private List<Entry> next() throws InterruptedException {
        if (spool != null) {
            synchronized (lock) {
                // Entries on their way to the spool come before anything queued after them.
                while (running && spilling > 0) {
                    lock.wait();
                }
            }
            if (!spool.isEmpty()) {
                inFlightFromSpool = true;
                return spool.peek(settings.batchSize(), settings.batchBytes());
            }
        }
        inFlightFromSpool = false;
        return takeBatch();
    }

    /**
     * Waits for a batch: full by count or bytes, or as old as batch.wait.
     *
     * @return null when stopping; empty when the queue went to the spool meanwhile (the spool goes first)
     */
    private List<Entry> takeBatch() throws InterruptedException {
        while (true) {
            List<Entry> unencoded = new ArrayList<>();
            List<Entry> batch = takeBatch(unencoded);
            if (unencoded.isEmpty()) {
                return batch;
            }
            // The lines are built here, outside the queue's lock: offer never waits for them.
            for (Entry entry : unencoded) {
                entry.line();
            }
        }
    }

    /**
     * @param unencoded filled, instead of taking a batch, with the entries a batch would take whose
     *                  lines are not built yet (the batch's end depends on their real size)
     */
    private List<Entry> takeBatch(List<Entry> unencoded) throws InterruptedException {
        synchronized (lock) {
            while (running && queue.isEmpty()) {
                lock.wait();
            }
            if (!running) {
                return null;
            }
            long deadline = firstArrival + TimeUnit.MILLISECONDS.toNanos(settings.batchWaitMillis());
            while (running && !queue.isEmpty() && queue.size() < settings.batchSize()
                    && queueBytes < settings.batchBytes()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            if (!running) {
                return null;
            }
            if (queue.isEmpty() || spool != null && (spilling > 0 || !spool.isEmpty())) {
                return List.of();
            }
            int looked = 0;
            for (Waiting waiting : queue) {
                if (looked++ >= settings.batchSize()) {
                    break;
                }
                if (!waiting.entry().encoded()) {
                    unencoded.add(waiting.entry());
                }
            }
            if (!unencoded.isEmpty()) {
                return null;
            }
            List<Entry> batch = new ArrayList<>(Math.min(queue.size(), settings.batchSize()));
            int size = 0;
            long estimated = 0;
            while (!queue.isEmpty() && batch.size() < settings.batchSize()) {
                Entry next = queue.peekFirst().entry();
                if (!batch.isEmpty() && size + next.size() > settings.batchBytes()) {
                    break;
                }
                batch.add(queue.pollFirst().entry());
                size += next.size();
                estimated += next.estimate();
            }
            queueBytes -= estimated;
            queued = queue.size() + unwritten;
            firstArrival = System.nanoTime();
            if (spool != null) {
                live = batch;
                liveSince = firstArrival;
                liveCopied = false;
                lock.notifyAll(); // the spool thread watches how long the push takes
            }
            return batch;
        }
    }

    /** A batch Loki has taken or refused for good: off the spool it came from, or the live batch settled. */
    private void takeOff(List<Entry> batch) {
        if (inFlightFromSpool) {
            spool.commit(batch);
        } else {
            settleLive(true, batch);
        }
    }

    private void delivered(List<Entry> batch) {
        try {
            takeOff(batch); // off the disk before it is counted as sent
        } finally {
            inFlight = null;
            stats.sent(batch);
            stats.success(Instant.now());
            if (failures > 0) {
                LOG.info("Loki accepts pushes again after {} failed attempts", failures);
            }
            failures = 0;
            failingSince = null;
            backoff.reset();
        }
    }

    private void failed(List<Entry> batch, LokiClient.Outcome outcome) {
        stats.retried.addAndGet(batch.size());
        Instant now = Instant.now();
        stats.error(now, outcome.toString());
        if (failures++ == 0) {
            failingSince = now;
            LOG.warn("Loki push failed ({}); retrying with backoff, {}", outcome,
                    spool == null ? "events wait in memory (queue.size " + settings.queueSize() + ")"
                            : "events wait in the spool " + spool.dir() + " (written within spool.flush "
                                    + settings.spoolFlushMillis() + " ms)");
        }
        if (spool == null || inFlightFromSpool) {
            return; // retried as it is: still in memory, or still in the spool
        }
        boolean copied = settleLive(false, batch);
        List<Entry> drained;
        synchronized (lock) {
            drained = drainForSpool();
        }
        List<Entry> all = new ArrayList<>(copied ? List.of() : batch);
        all.addAll(drained);
        boolean spilled = spill(all);
        spilled(drained, spilled);
        if (spilled || copied) {
            inFlight = null;
        } else {
            synchronized (lock) {
                live = batch; // retried from memory: still watched, so that it reaches the disk
                liveSince = System.nanoTime();
            }
        }
    }

    private void rejected(List<Entry> batch, LokiClient.Outcome outcome) {
        stats.drop(LokiStats.Drop.REJECTED, batch);
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
        try {
            takeOff(batch);
        } finally {
            inFlight = null;
            failures = 0;
            failingSince = null;
            backoff.reset();
        }
    }

    /**
     * The push of the live batch is over: it is no longer watched.
     *
     * @param discardCopy whether a copy of it in the spool goes (Loki took or refused the batch)
     * @return whether a copy of it was in the spool
     */
    private boolean settleLive(boolean discardCopy, List<Entry> batch) {
        if (spool == null) {
            return false;
        }
        synchronized (spillLock) {
            boolean copied;
            synchronized (lock) {
                copied = liveCopied;
                live = null;
                liveCopied = false;
            }
            if (copied && discardCopy) {
                spool.discard(batch);
            }
            return copied;
        }
    }

    /**
     * The {@code nexus-loki-spool} thread: writes the queue to the spool once queue.size entries
     * wait, and, while the sink is spooling, when its oldest entry has waited spool.flush; and a copy
     * of a batch whose push has gone unanswered that long. When a write fails it waits spool.flush
     * before the next attempt.
     */
    private void spoolWhileWaiting() {
        long resume = System.nanoTime(); // after a failed write: not before this
        while (true) {
            List<Entry> drained = null;
            List<Entry> copy = null;
            synchronized (lock) {
                if (!running) {
                    return;
                }
                long now = System.nanoTime();
                long wait = flushNanos;
                if (now - resume < 0) {
                    wait = resume - now;
                } else {
                    boolean unanswered = false;
                    if (live != null && !liveCopied) {
                        long due = liveSince + flushNanos - now;
                        unanswered = due <= 0;
                        if (unanswered) {
                            copy = live;
                        } else {
                            wait = Math.min(wait, due);
                        }
                    }
                    // Spooling: spool.flush after arrival. Otherwise only when the push thread falls
                    // behind: batch.wait + spool.flush after arrival.
                    boolean spooling = unanswered || failures > 0 || spilling > 0 || !spool.isEmpty();
                    if (!queue.isEmpty()) {
                        // A full queue goes at once: entries beyond twice queue.size would be dropped.
                        long due = queue.size() >= settings.queueSize() ? 0
                                : queue.peekFirst().arrived() + (spooling ? 0 : batchWaitNanos) + flushNanos - now;
                        if (due <= 0) {
                            drained = drainForSpool();
                        } else {
                            wait = Math.min(wait, due);
                        }
                    }
                }
                if (drained == null && copy == null) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, Math.max(wait, 1));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    continue;
                }
            }
            boolean written = copy == null || copyLive(copy);
            written &= drained == null || spillDrained(drained);
            if (!written) {
                resume = System.nanoTime() + flushNanos;
            }
        }
    }

    /** @return false when the spool could not take the copy */
    private boolean copyLive(List<Entry> batch) {
        synchronized (spillLock) {
            synchronized (lock) {
                if (live != batch || liveCopied) {
                    return true; // its push is over
                }
            }
            if (!spill(batch)) {
                return false;
            }
            synchronized (lock) {
                liveCopied = true;
            }
            return true;
        }
    }

    /** Writes entries {@link #drainForSpool drained} from the queue; what the spool does not take goes back. */
    private boolean spillDrained(List<Entry> drained) {
        boolean spilled = spill(drained);
        spilled(drained, spilled);
        return spilled;
    }

    /**
     * Takes everything out of the queue on its way to the spool: counted in {@link #spilling} and
     * {@link #unwritten} until {@link #spilled}. Called with the lock held.
     */
    private List<Entry> drainForSpool() {
        List<Entry> drained = drainQueue();
        spilling++;
        unwritten += drained.size();
        queued = queue.size() + unwritten;
        return drained;
    }

    /** Drained entries are written, or (when the spool did not take them) back at the head of the queue. */
    private void spilled(List<Entry> drained, boolean written) {
        synchronized (lock) {
            spilling--;
            unwritten -= drained.size();
            if (!written) {
                giveBack(drained);
            }
            queued = queue.size() + unwritten;
            lock.notifyAll();
        }
    }

    /** Takes everything out of the queue. Called with the lock held. */
    private List<Entry> drainQueue() {
        List<Entry> all = new ArrayList<>(queue.size());
        for (Waiting waiting : queue) {
            all.add(waiting.entry());
        }
        queue.clear();
        queueBytes = 0;
        queued = unwritten;
        return all;
    }

    /**
     * Puts entries the spool did not take back at the head of the queue, dropping the oldest beyond
     * the limit. Called with the lock held.
     */
    private void giveBack(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (queue.isEmpty()) {
            firstArrival = now;
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            queue.addFirst(new Waiting(entries.get(i), now)); // the next attempt is spool.flush away
            queueBytes += entries.get(i).estimate();
        }
        trim();
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
                long beforeAudit = spool.droppedAudit();
                spool.append(entries);
                long audit = spool.droppedAudit() - beforeAudit;
                stats.drop(LokiStats.Drop.SPOOL_FULL, Entry.Input.AUDIT_RECORD, audit);
                stats.drop(LokiStats.Drop.SPOOL_FULL, Entry.Input.ALARM_EVENT, spool.dropped() - before - audit);
                return true;
            } catch (UncheckedIOException e) {
                stats.error(Instant.now(), e.getMessage());
                LOG.error("Loki sink: {}; events stay in memory", e.getMessage());
                return false;
            }
        }
    }

    /**
     * Stops the threads. What is left (the batch being pushed, unless a copy is on disk, and the
     * queue) goes to the spool, or, without one, gets a last push, batch by batch, within two
     * seconds; what still cannot go is counted as dropped.
     */
    void stop(LokiClient lastChance) {
        List<Entry> left;
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        thread.interrupt();
        if (spooler != null) {
            spooler.interrupt();
        }
        boolean interrupted = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
            if (spooler != null) {
                spooler.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        // The last spill and push must not fail because whoever stops us was interrupted.
        interrupted |= Thread.interrupted();
        try {
            synchronized (lock) {
                List<Entry> batch = inFlight != null && !inFlightFromSpool && !liveCopied ? inFlight : List.of();
                left = new ArrayList<>(batch);
                left.addAll(drainQueue());
                inFlight = null;
                live = null;
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
                stats.sent(batch);
                stats.success(Instant.now());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stats.drop(LokiStats.Drop.STOPPED, left.subList(sent, left.size()));
    }
}
