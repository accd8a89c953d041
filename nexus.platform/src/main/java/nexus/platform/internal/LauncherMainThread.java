package nexus.platform.internal;

import java.time.Duration;
import java.util.concurrent.Callable;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exit status of {@code nexus.jar}: offers the launcher its main thread ({@link MainThread}),
 * and once the launcher runs it, stops the framework on SIGTERM and Ctrl-C ({@link StopSignals}).
 * Every clean stop — {@code exit}, Ctrl-D, SIGTERM, Ctrl-C, {@code stop 0} — exits 0; a stop that
 * takes longer than {@link Lifecycle#STOP_TIMEOUT_MS} exits 1. In a test container nobody calls the
 * main thread and nothing here acts.
 */
@Component(service = Callable.class, immediate = true, property = "main.thread=true")
public final class LauncherMainThread implements Callable<Integer> {

    /** Exit status of a stop that did not finish in time. */
    static final int STOP_TIMED_OUT = 1;

    private static final Logger LOG = LoggerFactory.getLogger(LauncherMainThread.class);
    private static final Duration HANDOVER = Duration.ofSeconds(5);

    private final Bundle system;
    private final MainThread main;

    @Activate
    public LauncherMainThread(BundleContext context) {
        this.system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        this.main = new MainThread(this::handleStopSignals);
    }

    /** Called by the launcher on its main thread; the return type is what the launcher checks. */
    @Override
    public Integer call() throws InterruptedException {
        return main.call();
    }

    @Deactivate
    void deactivate() {
        boolean frameworkStopping = system.getState() == Bundle.STOPPING;
        if (!main.release(frameworkStopping ? MainThread.STOPPED : MainThread.RELISTEN, HANDOVER)) {
            LOG.warn("The launcher's main thread did not return within {} s", HANDOVER.toSeconds());
        }
        if (frameworkStopping && main.running()) {
            watchdog();
        }
    }

    /** Never throws: the launcher stops the node when its main thread fails. */
    private void handleStopSignals() {
        try {
            StopSignals.install(this::stopFramework);
        } catch (LinkageError | RuntimeException e) {
            // A runtime without jdk.unsupported (sun.misc): the shutdown hook still stops cleanly.
            LOG.warn("Signals cannot be handled on this JVM ({}): SIGTERM and Ctrl-C still stop RMA Nexus cleanly,"
                    + " but it exits with 143 or 130 instead of 0", e.toString());
        }
    }

    private void stopFramework() {
        try {
            system.stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.error("RMA Nexus cannot stop: {}", e.getMessage(), e);
        }
    }

    /** Bounds the stop: the launcher itself would wait for ever. Daemon: a clean exit does not wait for it. */
    private static void watchdog() {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(Lifecycle.STOP_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            System.err.println("RMA Nexus did not stop within " + Lifecycle.STOP_TIMEOUT_MS + " ms; exiting with status "
                    + STOP_TIMED_OUT);
            Runtime.getRuntime().halt(STOP_TIMED_OUT);
        }, "nexus-platform-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
