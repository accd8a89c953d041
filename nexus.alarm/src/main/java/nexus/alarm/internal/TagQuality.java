package nexus.alarm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 * in words (said once per read block and status, not once per alarm and scan), which alarms cannot
 * be evaluated now, and the log of alarms whose quality changes. An alarm's quality leaving GOOD or
 * coming back is logged once, at INFO; when more than {@value #FEW} alarms change in one scan (a
 * federation mirror of thousands of tags going stale at once) one line sums them up, so a flapping
 * mirror writes one line per flap, never one per alarm. Not thread-safe: the engine's lock guards it.
 */
final class TagQuality {

    private static final Logger LOG = LoggerFactory.getLogger(TagQuality.class);

    /** Changes logged one by one per scan, and names kept for health. */
    static final int FEW = 5;

    /** The version and reads the cached details belong to: block numbers mean nothing in another. */
    private Registry registry;
    private BlockRead[] reads = new BlockRead[0];
    private ReadStatus[] detailStatus = new ReadStatus[0];
    private String[] details = new String[0];

    /** This pass's changes: how many left GOOD, came back or changed between two bad qualities, and the first few. */
    private int left;
    private int back;
    private int other;
    private final List<String> changes = new ArrayList<>(FEW);

    /** This pass's alarms that cannot be evaluated, and the first few names. */
    private int unevaluated;
    private final List<String> firstUnevaluated = new ArrayList<>(FEW);
    /** The last completed pass's. */
    private int lastUnevaluated;
    private List<String> lastFirstUnevaluated = List.of();

    /** A pass over a table starts: its registry version and the reads of its plan. */
    void start(Registry registry, BlockRead[] reads) {
        if (registry != this.registry || reads != this.reads) {
            this.registry = registry;
            this.reads = reads;
            detailStatus = new ReadStatus[reads.length];
            details = new String[reads.length];
        }
        left = 0;
        back = 0;
        other = 0;
        changes.clear();
        unevaluated = 0;
        firstUnevaluated.clear();
    }

    /** @return the quality of an alarm the registry version did not resolve */
    static Quality unresolved(AlarmDefinition d) {
        return d.tagId() == AlarmDefinition.NO_TAG ? Quality.BAD_NOT_IN_REGISTRY : Quality.BAD_CONFIGURATION;
    }

    /** @return why an alarm the registry version did not resolve cannot be evaluated */
    static String unresolvedDetail(AlarmDefinition d, String tag, long version) {
        if (d.tagProblem() != null) {
            return d.tagProblem();
        }
        return d.tagId() == AlarmDefinition.NO_TAG ? "registry version " + version + " has no tag " + tag
                : "registry version " + version + " gives tag " + tag + " a type the alarm cannot watch";
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

    /** Notes the quality an alarm has after this pass's evaluation, and whether it changed. */
    void saw(AlarmRecord r, Quality before) {
        Quality now = r.quality();
        if (!now.isGood()) {
            unevaluated++;
            if (firstUnevaluated.size() < FEW) {
                firstUnevaluated.add(r.name());
            }
        }
        if (now == before) {
            return;
        }
        if (before.isGood()) {
            left++;
        } else if (now.isGood()) {
            back++;
        } else {
            other++;
        }
        if (changes.size() < FEW) {
            changes.add(now.isGood() ? "alarm " + r.name() + " is evaluated again: its tag " + r.tag() + " is GOOD"
                    : "alarm " + r.name() + " cannot be evaluated, it keeps its state: its tag " + r.tag() + " is " + now
                            + " (" + r.qualityDetail() + ")");
        }
    }

    /**
     * The pass is done: logs what changed.
     *
     * @return the lines logged (none when no alarm's quality changed)
     */
    List<String> finish() {
        lastUnevaluated = unevaluated;
        lastFirstUnevaluated = List.copyOf(firstUnevaluated);
        int changed = left + back + other;
        List<String> lines = changed == 0 ? List.of() : changed <= FEW ? List.copyOf(changes)
                : List.of(changed + " alarms changed quality: " + left + " cannot be evaluated any more, " + back
                        + " are evaluated again, " + other + " went from one bad quality to another; " + unevaluated
                        + " alarms cannot be evaluated now (they keep their state). First: " + changes);
        lines.forEach(line -> LOG.info("Alarm quality: {}", line));
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

    /** @return why values read from a bank with this status are not GOOD, naming the bank and what it mirrors */
    static String describe(Registry registry, int bank, ReadStatus status) {
        Optional<String> source = registry.bankSource(bank);
        List<Bank> banks = registry.banks();
        String name = "bank " + (bank >= 0 && bank < banks.size() ? banks.get(bank).name() : String.valueOf(bank));
        return switch (status) {
            case STALE -> "the value is the last one " + source.orElse("its source") + " sent and is not current";
            case UNKNOWN_BANK -> "RMA has no " + name + ": the backend does not hold the registry's banks";
            case OUT_OF_RANGE -> "the tag lies outside " + name + " in RMA: the backend's bank is smaller than the"
                    + " registry's";
            case CONTENDED -> "no consistent snapshot of " + name + " could be read: a writer held it the whole time";
            case UNAVAILABLE, NOT_READ -> "the memory holding " + name + source.map(s -> " (" + s + ")").orElse("")
                    + " cannot be reached now";
            case OK -> null;
        };
    }
}
