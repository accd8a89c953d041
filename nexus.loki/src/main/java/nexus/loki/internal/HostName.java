package nexus.loki.internal;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine's host name, for the default {@code node} label: the first usable answer of the
 * resolver's local host name, {@code /etc/hostname} and the {@code HOSTNAME} environment variable
 * (bash sets it without exporting it, so a service rarely sees it), else {@code rma-nexus}. Usable
 * means a label value the sink accepts: not blank, at most 200 characters, no control characters.
 */
final class HostName {

    static final String FALLBACK = "rma-nexus";
    private static final Logger LOG = LoggerFactory.getLogger(HostName.class);

    private HostName() {
    }

    static String local() {
        return first(List.of(() -> InetAddress.getLocalHost().getHostName(),
                () -> Files.readString(Path.of("/etc/hostname")), () -> System.getenv("HOSTNAME")));
    }

    /** @return the first candidate that answers a usable name, stripped; {@link #FALLBACK} when none does */
    static String first(List<Callable<String>> candidates) {
        for (Callable<String> candidate : candidates) {
            try {
                String name = candidate.call();
                if (usable(name)) {
                    return name.strip();
                }
            } catch (Exception e) {
                LOG.debug("Host name not available this way: {}", e.toString());
            }
        }
        return FALLBACK;
    }

    static boolean usable(String name) {
        if (name == null || name.isBlank() || name.strip().length() > 200) {
            return false;
        }
        return name.strip().chars().noneMatch(Character::isISOControl);
    }
}
