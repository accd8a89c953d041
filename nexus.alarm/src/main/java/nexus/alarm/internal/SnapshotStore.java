package nexus.alarm.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured snapshot file: loaded once when the engine first takes its alarms over, saved
 * on an interval and at stop. A problem is logged, kept for {@code /health}, and never stops the
 * alarm manager: a corrupt snapshot is ignored. Thread-safe.
 */
final class SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

    private final Path file;
    private volatile String problem;
    private volatile Instant lastSaved;
    private volatile long savedSequence = -1;

    SnapshotStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** @return the snapshot, or null when there is none or it cannot be used (the reason is kept) */
    Snapshot.Content load() {
        try {
            Snapshot.Content content = Snapshot.read(file);
            if (content == null) {
                LOG.info("No alarm snapshot at {} yet: alarm timestamps come from this run only", file);
            } else {
                LOG.info("Alarm snapshot {} read: {} alarms, written {}", file, content.entries().size(),
                        Instant.ofEpochMilli(content.writtenAt()));
            }
            return content;
        } catch (IOException e) {
            problem = "alarm snapshot ignored: " + e.getMessage();
            LOG.warn("The alarm snapshot is ignored; timestamps it held are reported as unknown. {}", e.getMessage());
            return null;
        }
    }

    /**
     * Saves the entries unless nothing changed since the last save.
     *
     * @param events  the engine's event count: equal counts mean nothing changed
     * @param entries the lifecycles, or null while the engine has not taken its alarms over yet (the
     *                snapshot on disk is then still the only copy, and is left alone)
     */
    void save(long now, long events, List<Snapshot.Entry> entries) {
        if (entries == null || events == savedSequence) {
            return;
        }
        try {
            Snapshot.write(file, now, entries);
            savedSequence = events;
            lastSaved = Instant.ofEpochMilli(now);
            if (problem != null && problem.startsWith("cannot write")) {
                LOG.info("Alarm snapshot {} written again", file);
                problem = null;
            }
        } catch (IOException e) {
            String message = "cannot write the alarm snapshot " + file + ": " + e;
            if (!message.equals(problem)) {
                LOG.warn("{}; alarm timestamps would not survive a restart", message);
            }
            problem = message;
        }
    }

    /** @return the last problem (a corrupt snapshot ignored, a failed write), or null */
    String problem() {
        return problem;
    }

    Instant lastSaved() {
        return lastSaved;
    }
}
