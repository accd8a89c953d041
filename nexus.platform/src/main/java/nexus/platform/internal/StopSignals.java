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
 * handle a signal; where it is missing, or the JVM keeps the signals to itself ({@code -Xrs}), the
 * shutdown hook of {@link Lifecycle} still stops the framework cleanly and only the status differs.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> STOP = List.of("TERM", "INT");

    private StopSignals() {
    }

    /** @param stop what a stop signal runs, on the JVM's signal thread; must not block */
    static void install(Runnable stop) {
        try {
            for (String name : STOP) {
                install(name, stop);
            }
        } catch (LinkageError e) {
            LOG.warn("Signals cannot be handled on this JVM ({}): SIGTERM and Ctrl-C still stop RMA Nexus cleanly,"
                    + " but it exits with 143 or 130 instead of 0", e.toString());
        }
    }

    private static void install(String name, Runnable stop) {
        try {
            Signal.handle(new Signal(name), signal -> {
                LOG.info("SIG{} received: stopping", signal.getName());
                stop.run();
            });
        } catch (IllegalArgumentException e) {
            LOG.warn("SIG{} is reserved by the JVM ({}): it stops RMA Nexus through the shutdown hook, with exit status {}",
                    name, e.getMessage(), 128 + new Signal(name).getNumber());
        }
    }
}
