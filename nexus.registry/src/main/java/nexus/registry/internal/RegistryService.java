package nexus.registry.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.ErrorCode;
import nexus.core.Health;
import nexus.core.NexusException;
import nexus.registry.Registry;
import nexus.registry.RegistryStatus;
import nexus.registry.ValidationReport;

/**
 * Serves one registry file, plain Java: loads it, checks it for replacement on every {@link #poll},
 * swaps a valid replacement in (retiring the old version once its borrowed connections return),
 * keeps serving the old one when the replacement is invalid, and when frozen only reports changes.
 * Thread-safe: {@link #poll} runs on one thread, everything else anywhere.
 */
final class RegistryService {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryService.class);

    /** What identifies the file on disk: a replacement changes at least one of these. */
    private record Stamp(Object key, long size, long modified) {
    }

    /** The stamp of a file that is not there. */
    private static final Stamp MISSING = new Stamp("missing", -1, -1);

    private final Path file;
    private final boolean frozen;
    private final int connections;
    private final long connectionWait;
    private final int demoTags;
    private final Consumer<Registry> onChange;

    private volatile LoadedRegistry current;
    private volatile ValidationReport lastValidation;
    private volatile String problem;
    private Stamp served;
    private Stamp reported;
    private long version;

    RegistryService(Path file, boolean frozen, int connections, long connectionWait, int demoTags,
            Consumer<Registry> onChange) {
        this.file = file.toAbsolutePath().normalize();
        this.frozen = frozen;
        this.connections = Math.max(1, connections);
        this.connectionWait = Math.max(0, connectionWait);
        this.demoTags = demoTags;
        this.onChange = Objects.requireNonNull(onChange);
        this.problem = "the registry has not been loaded yet";
    }

    Registry current() {
        LoadedRegistry registry = current;
        if (registry == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no registry is loaded: " + problem);
        }
        return registry;
    }

    RegistryStatus status() {
        LoadedRegistry registry = current;
        return new RegistryStatus(file.toString(), frozen, registry == null ? 0 : registry.version(),
                registry == null ? 0 : registry.index().size(), registry == null ? 0 : registry.alarms().size(),
                lastValidation, problem);
    }

    Health health() {
        LoadedRegistry registry = current;
        if (registry == null) {
            return Health.down(problem);
        }
        String detail = "version " + registry.version() + ": " + registry.index().size() + " tags, "
                + registry.alarms().size() + " alarms from " + file + (frozen ? " (frozen)" : "");
        return Health.up(problem == null ? detail : detail + "; " + problem);
    }

    /** Checks the file once: first load, replacement, or nothing new. Called on the registry's thread. */
    synchronized void poll() {
        if (current == null && demoTags > 0 && !Files.exists(file)) {
            LOG.info("No registry at {}: generating the demo plant ({} tags)", file, demoTags);
            ValidationReport demo = DemoPlant.write(file, demoTags);
            if (!demo.valid()) {
                LOG.error("The demo plant could not be generated: {}", demo.describe());
            }
        }
        Stamp stamp = stamp();
        if (stamp.equals(served) || stamp.equals(reported)) {
            return;
        }
        if (stamp.equals(MISSING)) {
            reported = MISSING;
            if (current == null) {
                fail(RegistryLoader.load(file, 0, 1, 0).report());
            } else {
                problem = "the file was removed from disk; still serving version " + current.version();
                LOG.warn("Registry {} was removed from disk; still serving version {}", file, current.version());
            }
            return;
        }
        if (frozen && current != null) {
            reported = stamp;
            problem = "the file changed on disk but the registry is frozen: still serving version " + current.version();
            LOG.warn("Registry {} changed on disk; it is frozen, so the change is not loaded", file);
            return;
        }
        RegistryLoader.Result result = RegistryLoader.load(file, version + 1, connections, connectionWait);
        lastValidation = result.report();
        if (result.registry() == null) {
            reported = stamp;
            fail(result.report());
            return;
        }
        if (!stamp.equals(stamp())) {
            // Replaced again while we read it: take the newer one on the next poll.
            result.registry().retire();
            return;
        }
        LoadedRegistry old = current;
        version++;
        current = result.registry();
        served = stamp;
        reported = null;
        problem = null;
        LOG.info("Registry version {} served: {} tags, {} alarms from {} (validated in {} ms)", version,
                current.index().size(), current.alarms().size(), file, result.report().millis());
        if (old != null) {
            old.retire();
        }
        onChange.accept(current);
    }

    /** Stops serving and closes every connection (they close as they come back). */
    synchronized void close() {
        LoadedRegistry registry = current;
        current = null;
        problem = "the registry service has stopped";
        if (registry != null) {
            registry.retire();
        }
    }

    private void fail(ValidationReport report) {
        lastValidation = report;
        String why = report.problems().isEmpty() ? "unknown problem" : report.problems().get(0).message();
        int more = report.problems().size() - 1;
        String summary = "registry " + file + " is invalid: " + why + (more > 0 ? " (and " + more + " more problems)" : "");
        if (current == null) {
            problem = summary;
        } else {
            problem = "a replacement on disk is invalid (" + why + "); still serving version " + current.version();
        }
        LOG.error("{}\n{}", current == null ? summary : problem, report.describe());
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis());
        } catch (IOException e) {
            return MISSING;
        }
    }

}
