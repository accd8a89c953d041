package nexus.alarm.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured snapshot file and the {@link Journal} beside it ({@code alarms.snapshot} and
 * {@code alarms.journal.<n>}): loaded once when the engine first takes its alarms over, committed to
 * on every change, checkpointed on an interval and at stop. A problem is logged and kept for
 * {@code /health}: a corrupt snapshot is ignored (the journal is replayed alone), a journal that
 * cannot be written fails the commit that found it. Thread-safe.
 */
final class SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

    private final Path file;
    private final Journal journal;
    private volatile String problem;
    private volatile Instant lastSaved;
    private volatile long tornBytes;

    SnapshotStore(Path file) {
        this(file, Journal.Channels.DEFAULT);
    }

    /** @param channels opens the journal's segments (tests make them fail) */
    SnapshotStore(Path file, Journal.Channels channels) {
        this(file, channels, Journal.currentBootId());
    }

    /** @param bootId this boot of the machine (tests simulate a power loss with another one) */
    SnapshotStore(Path file, Journal.Channels channels, String bootId) {
        this(file, channels, bootId, () -> System.nanoTime() / 1_000_000);
    }

    /** @param monotonicMillis a clock that never steps: the journal retries a failed disk at most once a second on it */
    SnapshotStore(Path file, Journal.Channels channels, String bootId, LongSupplier monotonicMillis) {
        this.file = file.toAbsolutePath();
        String name = this.file.getFileName().toString();
        String stem = (name.endsWith(".snapshot") ? name.substring(0, name.length() - ".snapshot".length()) : name)
                + ".journal";
        this.journal = new Journal(this.file.getParent(), stem, channels, bootId, monotonicMillis);
    }

    Path file() {
        return file;
    }

    Journal journal() {
        return journal;
    }

    /**
     * Reads the snapshot, replays the journal after it and starts this run's journal segment.
     *
     * @return each alarm's recovered states; never null (empty when there is nothing to recover)
     */
    Journal.Replay load() {
        Snapshot.Content content = null;
        try {
            content = Snapshot.read(file);
            if (content == null) {
                LOG.info("No alarm snapshot at {} yet", file);
            } else {
                LOG.info("Alarm snapshot {} read: {} alarms, written {}", file, content.entries().size(),
                        Instant.ofEpochMilli(content.writtenAt()));
            }
        } catch (IOException e) {
            problem = "alarm snapshot ignored: " + e.getMessage();
            LOG.warn("The alarm snapshot is ignored; only the journal is replayed. {}", e.getMessage());
        }
        try {
            Journal.Replay replay = journal.open(content);
            tornBytes = replay.tornBytes();
            LOG.info("Alarm journal replayed: {} states{}", replay.records(),
                    replay.tornBytes() > 0 ? ", " + replay.tornBytes() + " bytes of a torn tail truncated" : "");
            return replay;
        } catch (IOException e) {
            String message = "the alarm journal cannot be opened: " + e;
            problem = message;
            LOG.error("{}. Operator actions are refused until it can be written; timestamps are unknown", message);
            return new Journal.Replay(Map.of(), false, 0, 0, false);
        }
    }

    /**
     * Makes the states durable (one group commit).
     *
     * @return the names of alarms whose state cannot be journaled (a record over the journal's limit): left out
     * @throws IOException and nothing is committed
     */
    List<String> commit(List<Snapshot.Entry> states) throws IOException {
        return journal.append(states);
    }

    /** Starts a new journal segment for a checkpoint. @return its number, for the snapshot to name */
    long rotate() throws IOException {
        try {
            return journal.rotate();
        } catch (IOException e) {
            failed(e);
            throw e;
        }
    }

    /**
     * Writes the snapshot that names {@code segment} as the journal that follows it, then deletes the
     * older segments. A crash at any step leaves a snapshot and every segment after it.
     */
    boolean checkpoint(long now, long segment, List<Snapshot.Entry> entries) {
        try {
            Snapshot.write(file, now, segment, entries);
            journal.deleteBefore(segment);
            lastSaved = Instant.ofEpochMilli(now);
            if (problem != null && problem.startsWith("cannot write")) {
                LOG.info("Alarm snapshot {} written again", file);
                problem = null;
            }
            return true;
        } catch (IOException e) {
            failed(e);
            return false;
        }
    }

    private void failed(IOException e) {
        String message = "cannot write the alarm snapshot " + file + ": " + e;
        if (!message.equals(problem)) {
            LOG.warn("{}; the journal keeps growing until it can", message);
        }
        problem = message;
    }

    /** @return the last problem (a corrupt snapshot ignored, a failed write), or null */
    String problem() {
        return problem;
    }

    /** @return bytes of a torn or damaged journal tail truncated at the start of this run */
    long tornBytes() {
        return tornBytes;
    }

    Instant lastSaved() {
        return lastSaved;
    }
}
