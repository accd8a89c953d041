package nexus.stream.internal;

import java.util.concurrent.Executor;

/**
 * Where the engine's work runs: periodic tasks (feed polls, housekeeping), the handling of client
 * requests and the re-runs of SQL subscriptions' queries (a subscribe may run a query, which blocks: never on the transport's thread). Injected so
 * that tests run everything on their own thread.
 */
interface Scheduling {

    /**
     * Runs a task every period until the returned handle is cancelled; a task that throws runs again
     * at its next tick.
     */
    Periodic every(long periodMillis, Runnable task);

    /** @return where client requests are handled (each connection keeps its own order on top) */
    Executor requests();

    /**
     * @return where SQL subscriptions' queries run again after a registry change (many at once): apart
     *         from the client requests, which must not wait behind them; the request executor by default
     */
    default Executor requeries() {
        return requests();
    }

    /**
     * Runs the engine's housekeeping every period, apart from the feed polls (so that neither waits for
     * the other); on the polls' threads by default.
     */
    default Periodic housekeeping(long periodMillis, Runnable task) {
        return every(periodMillis, task);
    }

    /** A periodic task's handle. */
    @FunctionalInterface
    interface Periodic {
        /** Stops the task; a run in progress completes. */
        void cancel();
    }
}
