package nexus.platform.internal;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * Turns SIGTERM (what service managers send) and SIGINT (Ctrl-C) into an orderly stop of the
 * framework, after which the launcher exits 0. Left to the JVM, either signal runs the shutdown
 * hooks and then exits 143 or 130 however cleanly everything stopped, which a service manager reads
 * as a failure. {@code sun.misc.Signal} (module {@code jdk.unsupported}) is the JDK's only way to
 * handle a signal. Where it cannot ({@code -Xrs}), the JVM's own handling applies: exit status
 * 143/130, and with {@code -Xrs} not even the shutdown hook of {@link Lifecycle} runs.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> STOP = List.of("TERM", "INT");

    private StopSignals() {
    }

    /**
     * @param stop what a stop signal runs, on the JVM's signal thread; must not block
     * @throws LinkageError when the JVM has no {@code sun.misc} (the caller decides what that means)
     */
    static void install(Runnable stop) {
        for (String name : STOP) {
            install(name, stop);
        }
    }

    private static void install(String name, Runnable stop) {
        try {
            Signal.handle(new Signal(name), signal -> {
                LOG.info("SIG{} received: stopping", signal.getName());
                stop.run();
            });
        } catch (IllegalArgumentException e) {
            LOG.warn("SIG{} cannot be handled ({}): it ends RMA Nexus the JVM's way, with exit status {}"
                    + " (and with -Xrs without a clean stop)", name, e.getMessage(), 128 + new Signal(name).getNumber());
        }
    }
}
