package nexus.query.internal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * Admission control for users' SQL, plain Java: a burst is queued up to a bound and what exceeds it
 * is refused at once with {@link ErrorCode#OVERLOADED} (HTTP 429 with {@code Retry-After}), so a
 * node under load answers quickly instead of piling up threads; and long queries may never take
 * every slot, so light queries keep flowing while heavy ones run.
 *
 * <ul>
 * <li>{@code slots} queries run at once (the engine keeps as many connections per registry version,
 * so a query never waits for a connection after it was admitted); up to {@code queue} more wait at most
 * {@code waitMillis} for a slot, in arrival order; the next one is refused at once.</li>
 * <li>A query still running after {@code longAfterMillis} becomes <em>long</em> and must take one of
 * {@code slots - 1} long permits; when none is free the caller stops it and it is refused. So at
 * least one slot always turns over at the pace of light queries.</li>
 * <li>A query (same SQL text and parameters) stopped that way is refused at once, without running,
 * when it comes again within its retry hint while every long permit is still taken: a client that
 * ignores {@code Retry-After} would otherwise hold the light queries' slot for {@code longAfterMillis}
 * on every retry.</li>
 * </ul>
 * Refusals carry a retry hint: {@code retryQueueSeconds} when the queue was full or the wait ran
 * out (slots turn over quickly), {@code retryLongSeconds} when too many long queries ran (they may
 * run until the time limit). Thread-safe.
 */
final class Admission {

    /** Why a query was refused; the metric label is the lower-case name. */
    enum Refusal {
        /** The queue held {@code queue} waiting queries already. */
        QUEUE_FULL,
        /** No slot came free within the wait. */
        WAIT_TIMEOUT,
        /** The query became long while {@code slots - 1} long queries ran. */
        TOO_MANY_LONG,
        /** The same query was stopped as {@link #TOO_MANY_LONG} moments ago and the long permits are still taken. */
        REPEATED_LONG
    }

    /** A query admitted to run: closing it gives its slot (and long permit) back, once. */
    final class Ticket implements AutoCloseable {
        private final String key;
        private boolean closed;
        private boolean isLong;
        private NexusException refusal;

        /**
         * Called when the query has run {@link #longAfterMillis()}: takes a long permit.
         *
         * @return whether the query may go on as a long one; false means: stop it and throw
         *         {@link #refusal()}
         */
        synchronized boolean becomeLong() {
            if (closed || isLong) {
                return !closed;
            }
            if (!longPermits.tryAcquire()) {
                refusal = refused(Refusal.TOO_MANY_LONG);
                if (key != null && key.length() <= REMEMBERED_KEY) {
                    stoppedLong.put(key, System.nanoTime() + TimeUnit.SECONDS.toNanos(retryLongSeconds));
                }
                return false;
            }
            isLong = true;
            longRunning.incrementAndGet();
            return true;
        }

        /** @return why the query was stopped as one long query too many, or null */
        synchronized NexusException refusal() {
            return refusal;
        }

        private Ticket(String key) {
            this.key = key;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (isLong) {
                longRunning.decrementAndGet();
                longPermits.release();
            }
            running.decrementAndGet();
            slotPermits.release();
        }
    }

    private final int slots;
    private final int queue;
    private final long waitMillis;
    private final long longAfterMillis;
    private final long retryQueueSeconds;
    private final long retryLongSeconds;
    private final Semaphore slotPermits;
    private final Semaphore longPermits;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger longRunning = new AtomicInteger();
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong[] refusals = new AtomicLong[Refusal.values().length];
    /** The longest key remembered (256 of them at most 1 MB); a longer query is simply run again. */
    private static final int REMEMBERED_KEY = 4_096;
    /** Queries recently stopped as one long query too many: key → until when (nanoTime) they are refused at once. */
    private final java.util.Map<String, Long> stoppedLong = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Long> eldest) {
                    return size() > 256;
                }
            });

    /**
     * @param slots             queries that run at once (at least 2: one is kept for light queries)
     * @param queue             queries that may wait for a slot (0: none waits)
     * @param waitMillis        how long one waits at most, in milliseconds
     * @param longAfterMillis   when a running query counts as long, in milliseconds
     * @param retryQueueSeconds the retry hint when the queue is full or the wait ran out (at least 1)
     * @param retryLongSeconds  the retry hint when a query was one long query too many (at least 1)
     * @throws IllegalArgumentException for values outside these ranges
     */
    Admission(int slots, int queue, long waitMillis, long longAfterMillis, long retryQueueSeconds, long retryLongSeconds) {
        if (slots < 2 || queue < 0 || waitMillis < 0 || longAfterMillis < 1 || retryQueueSeconds < 1 || retryLongSeconds < 1) {
            throw new IllegalArgumentException("admission needs at least 2 slots, a queue >= 0, a wait >= 0, a long.after"
                    + " >= 1 ms and retry hints >= 1 s");
        }
        this.slots = slots;
        this.queue = queue;
        this.waitMillis = waitMillis;
        this.longAfterMillis = longAfterMillis;
        this.retryQueueSeconds = retryQueueSeconds;
        this.retryLongSeconds = retryLongSeconds;
        this.slotPermits = new Semaphore(slots, true);
        this.longPermits = new Semaphore(slots - 1);
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new AtomicLong();
        }
    }

    /** The defaults: 4 slots, 32 waiting for 2 s, long after 500 ms. */
    static Admission defaults(long timeoutMillis) {
        return new Admission(4, 32, 2_000, 500, 1, retryLong(timeoutMillis));
    }

    /** @return the retry hint after a long-query refusal: the time limit, in whole seconds (a long query ends by then) */
    static long retryLong(long timeoutMillis) {
        return Math.max(1, (timeoutMillis + 999) / 1_000);
    }

    /** Takes a slot for a read known by no key (a tag read, a listing): {@link #admit(String)} with null. */
    Ticket admit() {
        return admit(null);
    }

    /**
     * Takes a slot, waiting in line for one when all are taken.
     *
     * @param key what identifies the query (its SQL text and parameters), or null
     * @return the ticket to close when the query is done (try-with-resources)
     * @throws NexusException OVERLOADED when the queue is full, no slot came free in time, or the
     *                        same query was just stopped as too long and the long permits are still
     *                        taken; BACKEND_UNAVAILABLE when interrupted while waiting
     */
    Ticket admit(String key) {
        if (key != null) {
            Long until = stoppedLong.get(key);
            if (until != null) {
                if (System.nanoTime() - until < 0 && longPermits.availablePermits() == 0) {
                    throw refused(Refusal.REPEATED_LONG);
                }
                if (System.nanoTime() - until >= 0) {
                    stoppedLong.remove(key);
                }
            }
        }
        if (!slotPermits.tryAcquire()) {
            if (waiting.incrementAndGet() > queue) {
                waiting.decrementAndGet();
                throw refused(Refusal.QUEUE_FULL);
            }
            boolean got;
            try {
                got = slotPermits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "interrupted while waiting to run the query");
            } finally {
                waiting.decrementAndGet();
            }
            if (!got) {
                throw refused(Refusal.WAIT_TIMEOUT);
            }
        }
        running.incrementAndGet();
        admitted.incrementAndGet();
        return new Ticket(key);
    }

    long longAfterMillis() {
        return longAfterMillis;
    }

    /** @return how many queries run at once */
    int slots() {
        return slots;
    }

    /** @return how long a query waits for a slot at most, in milliseconds */
    long waitMillis() {
        return waitMillis;
    }

    private NexusException refused(Refusal why) {
        refusals[why.ordinal()].incrementAndGet();
        return switch (why) {
            case QUEUE_FULL -> overloaded("the node is running " + slots + " queries and " + queue + " more are waiting:"
                    + " try again in " + retryQueueSeconds + " s", retryQueueSeconds);
            case WAIT_TIMEOUT -> overloaded("no query slot came free within " + waitMillis + " ms (" + slots
                    + " queries running): try again in " + retryQueueSeconds + " s", retryQueueSeconds);
            case TOO_MANY_LONG -> overloaded("the query ran longer than " + longAfterMillis + " ms while " + (slots - 1)
                    + " other long queries were running, so it was stopped to keep a slot for short queries: try again"
                    + " in " + retryLongSeconds + " s, or narrow it (a WHERE on path, a LIMIT)", retryLongSeconds);
            case REPEATED_LONG -> overloaded("this query was stopped moments ago for running longer than " + longAfterMillis
                    + " ms while " + (slots - 1) + " other long queries ran, and they still run: try again in "
                    + retryLongSeconds + " s, or narrow it (a WHERE on path, a LIMIT)", retryLongSeconds);
        };
    }

    private static NexusException overloaded(String message, long retrySeconds) {
        return new NexusException(ErrorCode.OVERLOADED, message, Duration.ofSeconds(retrySeconds));
    }

    /**
     * What admission has done so far, for metrics.
     *
     * @param refused refusals by {@link Refusal} ordinal
     */
    record Stats(int slots, int running, int longRunning, int waiting, long admitted, long[] refused) {
        long refused(Refusal why) {
            return refused[why.ordinal()];
        }
    }

    Stats stats() {
        long[] refused = new long[refusals.length];
        for (int i = 0; i < refused.length; i++) {
            refused[i] = refusals[i].get();
        }
        return new Stats(slots, running.get(), longRunning.get(), waiting.get(), admitted.get(), refused);
    }
}
