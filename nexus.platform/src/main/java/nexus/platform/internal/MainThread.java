package nexus.platform.internal;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the launcher's main thread runs, and so the process's exit status. The bnd launcher in
 * {@code nexus.jar} runs a {@code Callable<Integer>} service with {@code main.thread=true} on its main
 * thread, then stops the framework and exits with the status it returned. Without one, it waits
 * for the framework to stop and treats any stop it did not start itself as an error: exit status 117
 * (its {@code STOPPED}) after the console's {@code exit} or Ctrl-D, or after the shutdown hook that
 * SIGTERM runs. With this one, a stop that begins anywhere releases the main thread first, so the
 * launcher takes it as its own orderly stop and exits 0.
 *
 * <p>Thread-safe: {@link #call()} runs on the launcher's main thread, {@link #release} on the thread
 * that stops this bundle.
 */
final class MainThread implements Callable<Integer> {

    /** A clean stop: the framework was asked to stop and did. */
    static final int STOPPED = 0;
    /** The launcher's {@code RELISTEN_FOR_MAIN_CALLABLE}: wait for the next main thread service. */
    static final int RELISTEN = 198;

    private final Runnable onStart;
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch returned = new CountDownLatch(1);
    private volatile int status = STOPPED;
    private volatile boolean running;

    /** @param onStart run on the main thread when the launcher starts it (installs the signal handlers) */
    MainThread(Runnable onStart) {
        this.onStart = onStart;
    }

    /** Blocks the launcher's main thread until {@link #release} and answers the exit status. */
    @Override
    public Integer call() throws InterruptedException {
        running = true;
        try {
            onStart.run();
            released.await();
            return status;
        } finally {
            returned.countDown();
        }
    }

    /** @return whether the launcher runs this as its main thread (never in a test container) */
    boolean running() {
        return running;
    }

    /**
     * Lets {@link #call()} return {@code status} and, when the launcher runs it, waits until it has
     * returned, so that the launcher knows the stop is its own before the framework has stopped.
     *
     * @param status {@link #STOPPED} when the framework stops, {@link #RELISTEN} when only this bundle does
     * @param wait   the longest wait for the main thread
     * @return whether the main thread returned within {@code wait} (true when it never ran)
     */
    boolean release(int status, Duration wait) {
        this.status = status;
        released.countDown();
        if (!running) {
            return true;
        }
        try {
            return returned.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
