package nexus.stream.internal;

import java.util.concurrent.Executor;

/**
 * Where the engine's work runs: periodic tasks (feed polls, housekeeping) and the handling of client
 * requests (a subscribe may run a query, which blocks: never on the transport's thread). Injected so
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

    /** A periodic task's handle. */
    @FunctionalInterface
    interface Periodic {
        /** Stops the task; a run in progress completes. */
        void cancel();
    }
}
