package nexus.registry.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.ErrorCode;
import nexus.core.Health;
import nexus.core.NexusException;
import nexus.registry.Contribution;
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
 *
 * <p>Contributions (namespaces other bundles hold) are served in every version beside the file's
 * tags: a version is built from a private copy of the file's validated content (the base, never a
 * version that already had contributions) with every contribution written in, in owner order, then
 * validated as a whole ({@link ContributionWriter}). The last good copy holds the file's content only.
 * Thread-safe: {@link #poll} runs on one thread, everything else anywhere.
 */
final class RegistryService {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryService.class);

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
    private FileStamp served;
    private FileStamp reported;
    /** How long the last private copy took, for the log. */
    private long copyMillis;
    /** Whether the current version is the last good copy served again without validation ({@link #reuseLastGood}). */
    private boolean reused;
    /** The private copy the current version is served from, and its stamp when it was taken. */
    private Path servedCopy;
    private FileStamp servedCopyStamp;
    /** What happened to the served copy on disk; null while it is as it was taken. */
    private String tampered;
    private long version;
    /** The contributions and the base they are built on. */
    private final ContributedVersions contributions;
    /** ", N contributed tags from owners" for health, or "" while none are served. */
    private volatile String contributed = "";
    private boolean closed;

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
        this.contributions = new ContributedVersions(this.file, copies, this.connections, this.connectionWait);
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
                    + registry.alarms().size() + " alarms from the LAST GOOD COPY of " + file + contributed
                    + ", because " + why
                    + (confirmedBy == null ? "; tag writes are refused until an operator checks the RMA banks and"
                            + " confirms with 'nexus:registry confirm'" : "; confirmed by " + confirmedBy)
                    + ". Fix or replace the file to leave this state");
        }
        String detail = "version " + registry.version() + ": " + registry.index().size() + " tags, "
                + registry.alarms().size() + " alarms from " + file + contributed + (frozen ? " (frozen)" : "");
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
            FileStamp stamp = stamp();
            fallBack(tampered, stamp);
            if (tampered != null) {
                onDisk(tampered + ", and neither the file nor a last good copy can replace it; still serving version "
                        + current.version() + " from it");
            }
        }
    }

    private boolean copyChanged() {
        Path copyServed = servedCopy;
        if (current == null || copyServed == null || tampered != null || FileStamp.of(copyServed).equals(servedCopyStamp)) {
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
        FileStamp stamp = stamp();
        if (stamp.equals(served) || stamp.equals(reported)) {
            return;
        }
        if (stamp.equals(FileStamp.MISSING)) {
            reported = FileStamp.MISSING;
            if (current == null) {
                failed(RegistryLoader.load(file, 0, 1, 0).report(), FileStamp.MISSING);
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
        if (current == null && servedCopy == null && reuseLastGood(stamp, next)) {
            return;
        }
        Path copy;
        long copying = System.nanoTime();
        try {
            copy = contributions.fileCopy(file, next);
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
        reused = false;
        FileStamp validated = FileStamp.of(copy);
        serveFile(result, copy, stamp, null);
        try {
            if (FileStamp.of(copy).equals(validated)) {
                copies.keepAsLastGood(copy, name, file, stamp);
            }
        } catch (java.nio.channels.ClosedByInterruptException e) {
            Thread.currentThread().interrupt(); // the service is stopping: the next start keeps a copy again
            LOG.info("Registry version {} was not kept as the last good copy of {}: the registry stopped", version, file);
        } catch (IOException e) {
            LOG.warn("Cannot keep registry version {} as the last good copy of {} in {}: {}", version, file,
                    copies.folder(), e.getMessage());
        }
    }

    /**
     * At start, with the file unchanged since its last good copy was kept: serves that copy without
     * copying the file or validating it again ({@link RegistryCopies#reuse} says when it may).
     *
     * @return whether a version was served from it
     */
    private boolean reuseLastGood(FileStamp stamp, long next) {
        long copying = System.nanoTime();
        Optional<Path> kept = copies.reuse(name, file, stamp, contributions.fileCopyName(next));
        if (kept.isEmpty()) {
            return false;
        }
        copyMillis = (System.nanoTime() - copying) / 1_000_000;
        Path copy = kept.get();
        RegistryLoader.Result result = RegistryLoader.loadValidated(copy, file.toString(), next, connections,
                connectionWait);
        if (result.registry() == null) {
            // validated when it was kept, so this is a fault of the disk or of this node: take the normal path
            LOG.warn("Registry {}: its last good copy could not be loaded again ({}); copying and validating the file",
                    file, result.report().describe());
            copies.discard(copy);
            return false;
        }
        lastValidation = result.report();
        fallback = null;
        confirmedBy = null;
        reused = true;
        serveFile(result, copy, stamp, null);
        return true;
    }

    private void swapIn(RegistryLoader.Result result, Path copy, FileStamp servedStamp, FileStamp reportedStamp) {
        LoadedRegistry old = current;
        LoadedRegistry next = result.registry();
        next.whenClosed(() -> copies.discard(copy));
        servedCopy = copy;
        servedCopyStamp = FileStamp.of(copy);
        tampered = null;
        version = next.version();
        current = next;
        served = servedStamp;
        reported = reportedStamp;
        problem = null;
        degraded = false;
        if (reused) {
            LOG.info("Registry version {} served: {} tags, {} alarms from {}{} (the file is unchanged since its last good"
                    + " copy was validated: that copy checked and copied in {} ms, loaded in {} ms)", version,
                    next.index().size(), next.alarms().size(), file, contributed, copyMillis, result.report().millis());
        } else {
            LOG.info("Registry version {} served: {} tags, {} alarms from {}{} (copied in {} ms, validated in {} ms)",
                    version, next.index().size(), next.alarms().size(),
                    fallback == null ? file : "the last good copy of " + file, contributed, copyMillis,
                    result.report().millis());
        }
        reused = false; // a version built later from this one was validated as a whole
        if (old != null) {
            old.retire();
        }
        onChange.accept(next);
    }

    /** Stops serving and closes every connection (they close as they come back). */
    synchronized void close() {
        LoadedRegistry registry = current;
        current = null;
        closed = true;
        contributions.dropBase();
        problem = "the registry service has stopped";
        if (registry != null) {
            registry.retire();
        }
    }

    /**
     * Serves a contribution: replaces the owner's previous one and builds a version with every
     * contribution. A malformed or invalid one is not kept (the owner's previous one stays served).
     * Before the first version it is kept, and served with that version.
     */
    synchronized ValidationReport contribute(Contribution contribution) {
        refuseChanges(contribution.owner());
        String owner = contribution.owner();
        List<Problem> malformed = ContributionWriter.malformed(contribution);
        if (!malformed.isEmpty()) {
            ValidationReport report = new ValidationReport("contribution " + owner, contribution.tags().size(), 0,
                    malformed, 0);
            LOG.warn("The contribution of {} to registry {} is malformed; nothing is served from it:\n{}", owner, file,
                    report.describe());
            return report;
        }
        if (current == null) {
            contributions.put(contribution);
            LOG.info("Contribution of {} ({} tags) kept: it is served with the first registry version", owner,
                    contribution.tags().size());
            return new ValidationReport("contribution " + owner, contribution.tags().size(), 0, List.of(), 0);
        }
        ContributedVersions.Build build = rebuild(contributions.with(contribution));
        if (build.built()) {
            contributions.put(contribution);
        } else {
            LOG.warn("The contribution of {} makes registry {} invalid; still serving version {}:\n{}", owner, file,
                    version, build.report().describe());
        }
        return build.report();
    }

    /** Withdraws an owner's contribution: a version without it is served (nothing happens when it had none). */
    synchronized void withdraw(String owner) {
        if (!contributions.has(owner)) {
            return;
        }
        refuseChanges(owner);
        contributions.remove(owner);
        if (current != null && !rebuild(contributions.all()).built()) {
            LOG.error("Registry {}: the version without the contribution of {} could not be built; version {} still"
                    + " serves it", file, owner, version);
        }
    }

    private void refuseChanges(String owner) {
        if (closed) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the registry service has stopped: contribute"
                    + " again when it is back");
        }
        if (frozen) {
            throw new NexusException(ErrorCode.CONFLICT, "the registry is frozen: it serves its file as loaded and"
                    + " takes no contribution (from " + owner + "); set frozen = false in etc/nexus.registry.cfg to"
                    + " serve contributed namespaces");
        }
    }

    /**
     * Serves a validated copy of the file's content: alone when there is no contribution; else as the
     * base of a version with them (or alone, when they make it invalid).
     */
    private void serveFile(RegistryLoader.Result result, Path copy, FileStamp servedStamp, FileStamp reportedStamp) {
        if (contributions.isEmpty()) {
            contributions.dropBase();
            contributed = "";
            swapIn(result, copy, servedStamp, reportedStamp);
            return;
        }
        result.registry().retire(); // it validated the file's content; its copy stays, as the base
        contributions.useAsBase(copy);
        ContributedVersions.Build build = contributions.build(contributions.all(), version + 1);
        if (!build.built()) {
            LOG.error("Registry {}: the contributions of {} make it invalid, so they are not served until one is"
                    + " replaced:\n{}", file, contributions.owners(), build.report().describe());
            String why = build.report().problems().get(0).message();
            build = contributions.build(List.of(), version + 1);
            serve(build, servedStamp, reportedStamp);
            if (build.built()) {
                problem = "the contributions of " + contributions.owners() + " are not served: with them the registry"
                        + " is invalid (" + why + ")";
            }
            return;
        }
        serve(build, servedStamp, reportedStamp);
    }

    /** Builds and serves a version from the base and these contributions, keeping what health says of the file. */
    private ContributedVersions.Build rebuild(Collection<Contribution> with) {
        try {
            contributions.keepBase(servedCopy, version);
        } catch (IOException e) {
            return new ContributedVersions.Build(null, null, report("the registry's content cannot be copied to build"
                    + " a version with contributions: " + e.getMessage()), "");
        }
        String note = problem;
        boolean wrong = degraded;
        ContributedVersions.Build build = contributions.build(with, version + 1);
        if (build.built()) {
            serve(build, served, reported);
            problem = note;
            degraded = wrong;
        }
        return build;
    }

    private void serve(ContributedVersions.Build build, FileStamp servedStamp, FileStamp reportedStamp) {
        lastValidation = build.report();
        if (!build.built()) {
            return; // the base itself no longer loads: the version served stays, and the report says why
        }
        contributed = build.summary();
        swapIn(build.result(), build.copy(), servedStamp, reportedStamp);
    }

    /** The file on disk is not what is served: said in health (DEGRADED) and the log. */
    private void onDisk(String what) {
        problem = what;
        degraded = true;
        LOG.error("Registry {}: {}", file, what);
    }

    private void failed(ValidationReport report, FileStamp stamp) {
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
    private void fallBack(String why, FileStamp stamp) {
        Optional<Path> lastGood = copies.lastGood(name);
        if (lastGood.isEmpty()) {
            return;
        }
        long next = version + 1;
        Path copy;
        long copying = System.nanoTime();
        try {
            copy = contributions.fileCopy(lastGood.get(), next);
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
        reused = false;
        fallback = (why.startsWith("the private copy") ? why : "the file is invalid (" + why + ")") + "; the last good"
                + " copy was saved " + saved;
        confirmedBy = null;
        serveFile(result, copy, null, stamp);
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

    private FileStamp stamp() {
        return FileStamp.of(file);
    }
}
