package nexus.registry.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.ErrorCode;
import nexus.core.Health;
import nexus.core.NexusException;
import nexus.registry.Problem;
import nexus.registry.Registry;
import nexus.registry.RegistryStatus;
import nexus.registry.ValidationReport;

/**
 * Serves one registry file, plain Java: copies it privately, validates the copy and serves it;
 * checks the file for changes on every {@link #poll} (a replacement, an in-place edit, damage); swaps
 * a valid change in (retiring the old version once its borrowed connections return, then deleting
 * its copy); keeps serving the old version when the change is invalid; and when frozen only reports
 * changes. When the file cannot be loaded at start, serves the last good copy of it, DEGRADED, with
 * tag writes refused until an operator confirms.
 * Thread-safe: {@link #poll} runs on one thread, everything else anywhere.
 */
final class RegistryService {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryService.class);

    /** What identifies the file on disk: an edit or replacement changes at least one of these. */
    private record Stamp(Object key, long size, long modified, long changed, long counter, long walSize, long walModified) {
    }

    /** The stamp of a file that is not there. */
    private static final Stamp MISSING = new Stamp("missing", -1, -1, -1, -1, -1, -1);

    private final Path file;
    private final String name;
    private final boolean frozen;
    private final int connections;
    private final long connectionWait;
    private final int demoTags;
    private final RegistryCopies copies;
    private final Consumer<Registry> onChange;

    private volatile LoadedRegistry current;
    private volatile ValidationReport lastValidation;
    /** Why nothing is served, or what is wrong with the file on disk; null when all is well. */
    private volatile String problem;
    /** Whether the problem leaves the served version DEGRADED (the file on disk is not what is served). */
    private volatile boolean degraded;
    /** Why the last good copy is served instead of the file; null when the file itself is served. */
    private volatile String fallback;
    private volatile String confirmedBy;
    private Stamp served;
    private Stamp reported;
    /** How long the last private copy took, for the log. */
    private long copyMillis;
    /** The private copy the current version is served from, and its stamp when it was taken. */
    private Path servedCopy;
    private Stamp servedCopyStamp;
    /** What happened to the served copy on disk; null while it is as it was taken. */
    private String tampered;
    private long version;

    /**
     * @param versionsBefore the highest version served earlier in this run (0 at the first start):
     *                       versions continue above it, so they never repeat
     */
    RegistryService(Path file, boolean frozen, int connections, long connectionWait, int demoTags, RegistryCopies copies,
            long versionsBefore, Consumer<Registry> onChange) {
        this(file, file.toString(), frozen, connections, connectionWait, demoTags, copies, versionsBefore, onChange);
    }

    /** @param name how the configuration names the file: the key of its last good copy */
    RegistryService(Path file, String name, boolean frozen, int connections, long connectionWait, int demoTags,
            RegistryCopies copies, long versionsBefore, Consumer<Registry> onChange) {
        this.file = file.toAbsolutePath().normalize();
        this.name = name;
        this.frozen = frozen;
        this.connections = Math.max(1, connections);
        this.connectionWait = Math.max(0, connectionWait);
        this.demoTags = demoTags;
        this.copies = Objects.requireNonNull(copies);
        this.version = Math.max(0, versionsBefore);
        this.onChange = Objects.requireNonNull(onChange);
        this.problem = "the registry has not been loaded yet";
    }

    Registry current() {
        LoadedRegistry registry = current;
        if (registry == null) {
            // what is wrong names files and folders: an operator reads it in /health and the log, a client does not
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no registry is loaded: the registry component says"
                    + " why in GET /health");
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
        String why = fallback;
        if (why != null) {
            return Health.degraded("version " + registry.version() + ": " + registry.index().size() + " tags, "
                    + registry.alarms().size() + " alarms from the LAST GOOD COPY of " + file + ", because " + why
                    + (confirmedBy == null ? "; tag writes are refused until an operator checks the RMA banks and"
                            + " confirms with 'nexus:registry confirm'" : "; confirmed by " + confirmedBy)
                    + ". Fix or replace the file to leave this state");
        }
        String detail = "version " + registry.version() + ": " + registry.index().size() + " tags, "
                + registry.alarms().size() + " alarms from " + file + (frozen ? " (frozen)" : "");
        String note = problem;
        if (note == null) {
            return Health.up(detail);
        }
        return degraded ? Health.degraded(detail + "; " + note) : Health.up(detail + "; " + note);
    }

    Optional<String> writesRefused() {
        if (fallback == null || confirmedBy != null || current == null) {
            return Optional.empty();
        }
        return Optional.of("tag writes are refused: the registry file could not be loaded at start (" + fallback
                + "), so RMA Nexus serves its last good copy, and the RMA banks may hold values written under"
                + " another layout. An operator checks the banks and confirms with 'nexus:registry confirm',"
                + " or fixes the registry file");
    }

    synchronized String confirmFallback(String user) {
        LoadedRegistry registry = current;
        if (fallback == null || registry == null) {
            throw new NexusException(ErrorCode.CONFLICT, "there is nothing to confirm: the registry is served from its"
                    + " own file, not from a last good copy");
        }
        String who = user == null || user.isBlank() ? "an operator" : user.strip();
        confirmedBy = who + " at " + Instant.now();
        LOG.warn("{} confirmed the last good copy of registry {} (version {}): tag writes are allowed again", who, file,
                registry.version());
        return "Confirmed: version " + registry.version() + " (the last good copy of " + file
                + ") fits the RMA banks; tag writes are allowed again";
    }

    /**
     * Checks the file once: first load, a change, or nothing new; and the served copy: when it was
     * changed on disk, the file is loaded again, or else the last good copy. Called on the registry's
     * thread.
     */
    synchronized void poll() {
        boolean copyChanged = copyChanged();
        pollFile();
        if (copyChanged && tampered != null) {
            // the file could not replace the changed copy: the last good copy must
            Stamp stamp = stamp();
            fallBack(tampered, stamp);
            if (tampered != null) {
                onDisk(tampered + ", and neither the file nor a last good copy can replace it; still serving version "
                        + current.version() + " from it");
            }
        }
    }

    private boolean copyChanged() {
        Path copyServed = servedCopy;
        if (current == null || copyServed == null || tampered != null || stamp(copyServed).equals(servedCopyStamp)) {
            return false;
        }
        tampered = "the private copy of version " + current.version() + " (" + copyServed.getFileName() + " in "
                + copies.folder() + ") was changed or removed on disk";
        LOG.error("Registry {}: {}; loading the registry again", file, tampered);
        served = null;
        reported = null;
        return true;
    }

    private void pollFile() {
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
                failed(RegistryLoader.load(file, 0, 1, 0).report(), MISSING);
            } else {
                onDisk("the file was removed from disk; still serving version " + current.version());
            }
            return;
        }
        if (frozen && current != null) {
            reported = stamp;
            problem = "the file changed on disk but the registry is frozen: still serving version " + current.version();
            degraded = false;
            LOG.warn("Registry {} changed on disk; it is frozen, so the change is not loaded", file);
            return;
        }
        long next = version + 1;
        Path copy;
        long copying = System.nanoTime();
        try {
            copy = copies.copy(file, next);
            copyMillis = (System.nanoTime() - copying) / 1_000_000;
        } catch (IOException e) {
            reported = stamp;
            failed(report(e.getMessage()), stamp);
            return;
        }
        if (!stamp.equals(stamp())) {
            // Changed again while we copied it: take the newer one on the next poll.
            copies.discard(copy);
            return;
        }
        RegistryLoader.Result result = RegistryLoader.load(copy, file.toString(), next, connections, connectionWait);
        lastValidation = result.report();
        if (result.registry() == null) {
            copies.discard(copy);
            reported = stamp;
            failed(result.report(), stamp);
            return;
        }
        fallback = null;
        confirmedBy = null;
        swapIn(result, copy, stamp, null);
        try {
            copies.keepAsLastGood(copy, name);
        } catch (IOException e) {
            LOG.warn("Cannot keep registry version {} as the last good copy of {} in {}: {}", version, file,
                    copies.folder(), e.getMessage());
        }
    }

    private void swapIn(RegistryLoader.Result result, Path copy, Stamp servedStamp, Stamp reportedStamp) {
        LoadedRegistry old = current;
        LoadedRegistry next = result.registry();
        next.whenClosed(() -> copies.discard(copy));
        servedCopy = copy;
        servedCopyStamp = stamp(copy);
        tampered = null;
        version = next.version();
        current = next;
        served = servedStamp;
        reported = reportedStamp;
        problem = null;
        degraded = false;
        LOG.info("Registry version {} served: {} tags, {} alarms from {} (copied in {} ms, validated in {} ms)", version,
                next.index().size(), next.alarms().size(), fallback == null ? file : "the last good copy of " + file,
                copyMillis, result.report().millis());
        if (old != null) {
            old.retire();
        }
        onChange.accept(next);
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

    /** The file on disk is not what is served: said in health (DEGRADED) and the log. */
    private void onDisk(String what) {
        problem = what;
        degraded = true;
        LOG.error("Registry {}: {}", file, what);
    }

    private void failed(ValidationReport report, Stamp stamp) {
        lastValidation = report;
        String why = report.problems().isEmpty() ? "unknown problem" : report.problems().get(0).message();
        int more = report.problems().size() - 1;
        String summary = "registry " + file + " is invalid: " + why + (more > 0 ? " (and " + more + " more problems)" : "");
        if (current != null) {
            onDisk("the file on disk is invalid (" + why + "); still serving version " + current.version()
                    + " from its private copy");
            LOG.error("{}", report.describe());
            return;
        }
        problem = summary;
        LOG.error("{}\n{}", summary, report.describe());
        fallBack(why, stamp);
    }

    /** At start, with no valid file: serve the last good copy of it, when one was kept. */
    private void fallBack(String why, Stamp stamp) {
        Optional<Path> lastGood = copies.lastGood(name);
        if (lastGood.isEmpty()) {
            return;
        }
        long next = version + 1;
        Path copy;
        long copying = System.nanoTime();
        try {
            copy = copies.copy(lastGood.get(), next);
            copyMillis = (System.nanoTime() - copying) / 1_000_000;
        } catch (IOException e) {
            LOG.error("The last good copy of registry {} cannot be read either: {}", file, e.getMessage());
            return;
        }
        RegistryLoader.Result result = RegistryLoader.load(copy, "the last good copy of " + file, next, connections,
                connectionWait);
        if (result.registry() == null) {
            copies.discard(copy);
            LOG.error("The last good copy of registry {} is not valid either:\n{}", file, result.report().describe());
            return;
        }
        String saved;
        try {
            saved = Files.getLastModifiedTime(lastGood.get()).toInstant().toString();
        } catch (IOException e) {
            saved = "an unknown time";
        }
        fallback = (why.startsWith("the private copy") ? why : "the file is invalid (" + why + ")") + "; the last good"
                + " copy was saved " + saved;
        confirmedBy = null;
        swapIn(result, copy, null, stamp);
        problem = "serving the last good copy: " + fallback;
        degraded = true;
        LOG.error("!!! Registry {} could not be loaded ({}). RMA Nexus serves its LAST GOOD COPY (saved {}) as version {}"
                + " and refuses tag writes until an operator checks the RMA banks and confirms with"
                + " 'nexus:registry confirm' !!!", file, why, saved, version);
    }

    private ValidationReport report(String why) {
        return new ValidationReport(file.toString(), 0, 0, List.of(new Problem(Problem.Kind.INTEGRITY, why,
                List.of(file.toString()))), 0);
    }

    private Stamp stamp() {
        return stamp(file);
    }

    /**
     * @return what identifies a file's content on disk: its identity, size, modification and change
     *         times, SQLite's file change counter (header bytes 24–27, which every committing write
     *         increments, even one whose times are set back) and its write-ahead log's size and time
     */
    static Stamp stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            long walSize = -1;
            long walModified = -1;
            Path wal = file.resolveSibling(file.getFileName() + "-wal");
            try {
                BasicFileAttributes log = Files.readAttributes(wal, BasicFileAttributes.class);
                walSize = log.size();
                walModified = log.lastModifiedTime().toMillis();
            } catch (IOException e) {
                // no write-ahead log: the file alone says it all
            }
            return new Stamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis(),
                    changeTime(file), changeCounter(file), walSize, walModified);
        } catch (IOException e) {
            return MISSING;
        }
    }

    private static long changeTime(Path file) {
        try {
            Object ctime = Files.getAttribute(file, "unix:ctime");
            return ctime instanceof java.nio.file.attribute.FileTime time ? time.to(java.util.concurrent.TimeUnit.NANOSECONDS) : -1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1; // not a Unix file system: the other fields must do
        }
    }

    private static long changeCounter(Path file) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(4);
            while (header.hasRemaining() && channel.read(header, 24 + header.position()) > 0) {
                // read the four bytes, however the channel splits them
            }
            return header.hasRemaining() ? -1 : Integer.toUnsignedLong(header.flip().getInt());
        } catch (IOException e) {
            return -1;
        }
    }
}
