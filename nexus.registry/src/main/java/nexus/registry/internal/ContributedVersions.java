package nexus.registry.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import nexus.registry.Contribution;
import nexus.registry.Problem;
import nexus.registry.ValidationReport;

/**
 * The contributions a registry serves, by owner (applied in owner order), and the base they are
 * built on: a private copy of the registry file's validated content, never a version that already
 * had contributions. Builds a version as base + contributions, validated as a whole. Not
 * thread-safe: {@link RegistryService} calls it under its lock.
 */
final class ContributedVersions {

    /**
     * A version built with contributions, not yet served.
     *
     * @param result  the loaded version, or {@code null} when it was refused
     * @param copy    its private copy (discarded when refused)
     * @param report  the validation report: the contributed tags left out for their paths, or why
     *                it was refused
     * @param summary ", N contributed tags from owners" for health, or "" without contributions
     */
    record Build(RegistryLoader.Result result, Path copy, ValidationReport report, String summary) {
        boolean built() {
            return result != null;
        }
    }

    private final Path file;
    private final RegistryCopies copies;
    private final int connections;
    private final long connectionWait;
    private final Map<String, Contribution> byOwner = new TreeMap<>();
    /** The base; null while the served version is the file's content alone (its own copy is the base). */
    private Path base;

    ContributedVersions(Path file, RegistryCopies copies, int connections, long connectionWait) {
        this.file = file;
        this.copies = copies;
        this.connections = connections;
        this.connectionWait = connectionWait;
    }

    boolean isEmpty() {
        return byOwner.isEmpty();
    }

    boolean has(String owner) {
        return byOwner.containsKey(owner);
    }

    /** @return every contribution, in owner order */
    Collection<Contribution> all() {
        return byOwner.values();
    }

    /** @return every contribution, in owner order, with this one in place of its owner's */
    Collection<Contribution> with(Contribution contribution) {
        Map<String, Contribution> next = new TreeMap<>(byOwner);
        next.put(contribution.owner(), contribution);
        return next.values();
    }

    void put(Contribution contribution) {
        byOwner.put(contribution.owner(), contribution);
    }

    void remove(String owner) {
        byOwner.remove(owner);
    }

    /** @return the owners, for messages */
    String owners() {
        return String.join(", ", byOwner.keySet());
    }

    /**
     * @return a private copy of the file's content (or of its last good copy): the version's own
     *         when there is no contribution, else the next base (taken with {@link #useAsBase})
     */
    Path fileCopy(Path source, long next) throws IOException {
        return copies.copy(source, fileCopyName(next));
    }

    /** @return the name {@link #fileCopy} gives the copy of version {@code next} */
    String fileCopyName(long next) {
        return byOwner.isEmpty() ? "v" + next : "v" + next + "-file";
    }

    /** The file's validated content to build on from now on; the previous base is deleted. */
    void useAsBase(Path copy) {
        dropBase();
        base = copy;
    }

    /**
     * Makes sure there is a base before a build.
     *
     * @param served  the served version's copy: the file's content alone while there is no base
     * @param version its version, for the base's name
     */
    void keepBase(Path served, long version) throws IOException {
        if (base == null) {
            base = copies.copy(served, "v" + version + "-file");
        }
    }

    /** Deletes the base: the next version with contributions is built from the file's next copy. */
    void dropBase() {
        if (base != null) {
            copies.discard(base);
            base = null;
        }
    }

    /**
     * Copies the base to version {@code next}'s private copy, writes these contributions into it and
     * loads it. Nothing is served here.
     */
    Build build(Collection<Contribution> with, long next) {
        long started = System.nanoTime();
        Path copy;
        try {
            copy = copies.copy(base, next);
        } catch (IOException e) {
            return refused(null, "the registry's content cannot be copied to build a version with contributions: "
                    + e.getMessage());
        }
        ContributionWriter.Written written;
        try {
            written = ContributionWriter.write(copy, with);
        } catch (SQLException e) {
            return refused(copy, "the contributions cannot be written into a private copy (" + Sqlite.describe(e) + ")");
        }
        if (!written.malformed().isEmpty()) {
            copies.discard(copy);
            return new Build(null, copy, new ValidationReport(file.toString(), 0, 0, written.malformed(),
                    (System.nanoTime() - started) / 1_000_000), "");
        }
        RegistryLoader.Result result = RegistryLoader.load(copy, file.toString(), next, connections, connectionWait,
                written.firstBank());
        if (result.registry() == null) {
            copies.discard(copy);
            return new Build(null, copy, result.report(), "");
        }
        result.registry().contributed(written.firstBank(), written.banks());
        ValidationReport report = new ValidationReport(file.toString(), result.report().tags(), result.report().alarms(),
                written.leftOut(), (System.nanoTime() - started) / 1_000_000);
        String summary = with.isEmpty() ? "" : ", " + written.tags() + " contributed tags from "
                + String.join(", ", with.stream().map(Contribution::owner).toList());
        return new Build(new RegistryLoader.Result(result.registry(), report), copy, report, summary);
    }

    private Build refused(Path copy, String why) {
        if (copy != null) {
            copies.discard(copy);
        }
        return new Build(null, copy, new ValidationReport(file.toString(), 0, 0, List.of(new Problem(
                Problem.Kind.INTEGRITY, why, List.of(file.toString()))), 0), "");
    }
}
