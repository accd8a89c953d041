package nexus.alarm.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.query.Quality;
import nexus.registry.AlarmDefinition;
import nexus.registry.Registry;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;

/**
 * The quality of the tags the alarms watch, as the scan finds it: why a value cannot be evaluated,
 * in words (said once per read block and status, not once per alarm and scan), which alarms that
 * are evaluated (enabled, in service) cannot be evaluated now, and the log of their quality changes.
 * The log is bounded per cause (the quality alarms changed to; GOOD: evaluated again), as foreign
 * flag bytes are ({@link ScanPass}): the first change to a quality is logged at once, at INFO; later
 * ones at most once every {@value #REPORT_MILLIS} ms, one line that counts them and names the first
 * few. A flapping mirror, or a bank a busy writer contends now and then, thus writes a few lines a
 * minute, never one per alarm or scan; every change is an event all the same
 * ({@code QUALITY_CHANGED}, through the {@link AlarmStateMachine}). Not thread-safe: the engine's
 * lock guards it.
 */
final class TagQuality {

    private static final Logger LOG = LoggerFactory.getLogger(TagQuality.class);

    /** Alarms named per line, and names kept for health. */
    static final int FEW = 5;
    /** The changes to one quality are logged at most this often (after the first, logged at once). */
    static final long REPORT_MILLIS = 60_000;

    private final LongSupplier monotonic;

    /** The version and reads the cached details belong to: block numbers mean nothing in another. */
    private Registry registry;
    private BlockRead[] reads = new BlockRead[0];
    private ReadStatus[] detailStatus = new ReadStatus[0];
    private String[] details = new String[0];

    /** Changes not logged yet, by the quality alarms changed to. */
    private final Map<Quality, Changes> changes = new EnumMap<>(Quality.class);

    /** This pass's alarms that cannot be evaluated, and the first few names. */
    private int unevaluated;
    private final List<String> firstUnevaluated = new ArrayList<>(FEW);
    /** The last completed pass's. */
    private int lastUnevaluated;
    private List<String> lastFirstUnevaluated = List.of();

    /** With the JVM's monotonic clock. */
    TagQuality() {
        this(() -> System.nanoTime() / 1_000_000);
    }

    /** @param monotonic milliseconds on a clock that never steps, for how often a cause is logged */
    TagQuality(LongSupplier monotonic) {
        this.monotonic = monotonic;
    }

    /** A pass over a table starts: its registry version and the reads of its plan. */
    void start(Registry registry, BlockRead[] reads) {
        if (registry != this.registry || reads != this.reads) {
            this.registry = registry;
            this.reads = reads;
            detailStatus = new ReadStatus[reads.length];
            details = new String[reads.length];
        }
        unevaluated = 0;
        firstUnevaluated.clear();
    }

    /**
     * @return the quality of an alarm the registry version did not resolve: its contributed tag is
     *         absent, or there with a type the alarm cannot watch ({@link AlarmDefinition#tagProblem}
     *         says which in words)
     */
    static Quality unresolved(AlarmDefinition d) {
        return d.tagAbsent() ? Quality.BAD_NOT_IN_REGISTRY : Quality.BAD_CONFIGURATION;
    }

    /**
     * @param block the number of a block of this pass's table whose read is not OK
     * @return why the values read with it are not GOOD, in words
     */
    String detail(int block) {
        BlockRead read = reads[block];
        ReadStatus status = read.status();
        if (detailStatus[block] != status) {
            details[block] = describe(registry, read.bank(), status);
            detailStatus[block] = status;
        }
        return details[block];
    }

    /**
     * Notes the quality an alarm has after this pass's read; an alarm not evaluated (disabled, out of
     * service) is left out, its quality is only shown.
     *
     * @param before the quality last told for it
     */
    void saw(AlarmRecord r, Quality before) {
        if (!r.evaluated()) {
            return;
        }
        Quality now = r.quality();
        if (!now.isGood()) {
            unevaluated++;
            if (firstUnevaluated.size() < FEW) {
                firstUnevaluated.add(r.name());
            }
        }
        if (now != before) {
            changes.computeIfAbsent(now, q -> new Changes()).add(r);
        }
    }

    /**
     * The pass is done: logs the causes that are due.
     *
     * @return the lines logged (none when no change is due)
     */
    List<String> finish() {
        lastUnevaluated = unevaluated;
        lastFirstUnevaluated = List.copyOf(firstUnevaluated);
        if (changes.isEmpty()) {
            return List.of();
        }
        long mono = monotonic.getAsLong();
        List<String> lines = new ArrayList<>(1);
        changes.forEach((q, c) -> {
            String line = c.report(q, mono, unevaluated);
            if (line != null) {
                lines.add(line);
                LOG.info("Alarm quality: {}", line);
            }
        });
        return lines;
    }

    /** @return how many alarms the last pass could not evaluate (their tag's quality is not GOOD) */
    int unevaluated() {
        return lastUnevaluated;
    }

    /** @return the first few of them, in definition order */
    List<String> firstUnevaluated() {
        return lastFirstUnevaluated;
    }

    /**
     * @return why values read from a bank with this status are not GOOD, naming the bank and what it
     *         mirrors: the words of the status's {@link Quality} ({@link Quality#of}, the one mapping)
     */
    static String describe(Registry registry, int bank, ReadStatus status) {
        Optional<String> source = registry.bankSource(bank);
        List<Bank> banks = registry.banks();
        String name = "bank " + (bank >= 0 && bank < banks.size() ? banks.get(bank).name() : String.valueOf(bank));
        Quality quality = Quality.of(status);
        return switch (quality) {
            case GOOD -> null;
            case STALE -> "the value is the last one " + source.orElse("its source") + " sent and is not current";
            case BAD_UNKNOWN_BANK -> "RMA has no " + name + ": the backend does not hold the registry's banks";
            case BAD_OUT_OF_RANGE -> "the tag lies outside " + name + " in RMA: the backend's bank is smaller than the"
                    + " registry's";
            case BAD_CONTENDED -> "no consistent snapshot of " + name + " could be read: a writer held it the whole time";
            case BAD_UNAVAILABLE -> "the memory holding " + name + source.map(s -> " (" + s + ")").orElse("")
                    + " cannot be reached now";
            case BAD_NO_BACKEND, BAD_NOT_IN_REGISTRY, BAD_CONFIGURATION -> throw new IllegalStateException(
                    "read status " + status + " has quality " + quality + ", which no read gives: describe it");
        };
    }

    /** The changes to one quality since it was last logged. */
    private static final class Changes {
        private long loggedAt = Long.MIN_VALUE;
        private int count;
        /** The first change, whole: alarm, tag and why. */
        private String first;
        private final List<String> names = new ArrayList<>(FEW);

        void add(AlarmRecord r) {
            if (count++ == 0) {
                first = r.quality().isGood() ? "alarm " + r.name() + " is evaluated again: its tag " + r.tag() + " is GOOD"
                        : "alarm " + r.name() + " cannot be evaluated, it keeps its state: its tag " + r.tag() + " is "
                                + r.quality() + " (" + r.qualityDetail() + ")";
            }
            if (names.size() < FEW && !names.contains(r.name())) {
                names.add(r.name());
            }
        }

        /** @return the line, when there is something to log and the last line is long enough ago; else null */
        String report(Quality quality, long mono, int unevaluated) {
            if (count == 0 || loggedAt != Long.MIN_VALUE && mono - loggedAt < REPORT_MILLIS) {
                return null;
            }
            String line = count == 1 ? first
                    : count + (quality.isGood() ? " times an alarm was evaluated again (its tag GOOD)"
                            : " times an alarm could no longer be evaluated, keeping its state (its tag " + quality + ")")
                            + (loggedAt == Long.MIN_VALUE ? "" : " in the last minute or more") + "; the first alarms: "
                            + String.join(", ", names) + ". First: " + first
                            + ". " + unevaluated + " alarms cannot be evaluated now; their quality is in GET /api/v1/alarms";
            loggedAt = mono;
            count = 0;
            first = null;
            names.clear();
            return line;
        }
    }
}
