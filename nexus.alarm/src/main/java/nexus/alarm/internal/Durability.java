package nexus.alarm.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmEvent;

/**
 * The durability rule: a change is committed to the {@link Journal} before its event leaves. Every
 * event waits in an outbox until the change it reports is committed (one group commit per scan, one
 * per batch of actions, one for alarms a registry version moved); then {@link #publish} hands the
 * outbox to the publisher in order. While the journal cannot be written, a scan's transitions stay
 * in effect but their events wait (at most {@link #MAX_HELD}; beyond that the oldest are dropped
 * unpublished, so no published sequence number is ever handed out again after a crash), and the
 * next commit takes every state left uncommitted. Not thread-safe: the engine's lock guards it.
 */
final class Durability {

    private static final Logger LOG = LoggerFactory.getLogger(Durability.class);
    /** Events held while the journal cannot be written; beyond this the oldest are dropped and counted. */
    static final int MAX_HELD = 100_000;

    /** The snapshot and journal, or null when none is configured (then everything counts as committed). */
    private final SnapshotStore snapshots;
    private final Consumer<AlarmEvent> publisher;
    private final ArrayDeque<AlarmEvent> outbox = new ArrayDeque<>();
    /** Events ever put in the outbox, less those withdrawn: marks for {@link #withdraw}. */
    private long emitted;
    /** States of alarms no longer in the table (removed by a new registry version) still to commit. */
    private final List<Snapshot.Entry> pendingEntries = new ArrayList<>();
    /** Some alarm's state is not committed (a failed commit): the next commit takes every such state. */
    private boolean uncommitted;
    /** Alarms whose state the journal cannot take (a name too long), reported once each. */
    private final Set<String> unjournaled = new HashSet<>();
    private long heldDropped;
    private String problem;
    /** Counts changes to what a snapshot would hold (commits, registry versions, take-overs). */
    private long changes;
    private long published;

    /**
     * @param snapshots the snapshot and journal, or null
     * @param publisher takes every committed event, in order, under the engine's lock
     */
    Durability(SnapshotStore snapshots, Consumer<AlarmEvent> publisher) {
        this.snapshots = snapshots;
        this.publisher = publisher;
    }

    /** @return whether a journal is kept */
    boolean journaling() {
        return snapshots != null;
    }

    /** @return whether the journal can take this alarm's state (always, without a journal) */
    boolean fits(String name) {
        return snapshots == null || Journal.fits(name);
    }

    // ---- the outbox ----

    /** Every event waits here until its change is committed. */
    void emit(AlarmEvent event) {
        if (outbox.size() >= MAX_HELD) {
            outbox.poll(); // never published, so its sequence number is never handed out twice
            if (heldDropped++ == 0) {
                LOG.error("More than {} alarm events wait for the alarm journal: the oldest are dropped until it can be"
                        + " written", MAX_HELD);
            }
        }
        outbox.add(event);
        emitted++;
    }

    /** @return a mark: {@link #withdraw} takes back every event emitted after it */
    long mark() {
        return emitted;
    }

    /** Takes back the events emitted since the mark (of a change that is undone): they never leave. */
    void withdraw(long mark) {
        for (long n = emitted - mark; n > 0 && !outbox.isEmpty(); n--) {
            outbox.pollLast();
        }
        emitted = mark;
    }

    /** Hands the committed changes' events to the publisher, in order. */
    void publish() {
        AlarmEvent event;
        while ((event = outbox.poll()) != null) {
            published++;
            publisher.accept(event);
        }
    }

    /** @return the events published so far */
    long published() {
        return published;
    }

    // ---- commits ----

    /**
     * Commits the states a scan changed (and any left uncommitted by an earlier failure). When the
     * journal cannot be written they stay as they are (an alarm must annunciate whatever the disk
     * does), their events wait, the problem is reported, and they are committed again at the next
     * scan or action.
     *
     * @param changed indexes into {@code records} of the alarms the scan changed, the first {@code count}
     * @return whether everything is committed, so that the waiting events may leave
     */
    boolean commitScan(AlarmRecord[] records, int[] changed, int count) {
        if (count == 0 && pendingEntries.isEmpty()) {
            return true;
        }
        if (snapshots != null) {
            List<Snapshot.Entry> states = new ArrayList<>(count + pendingEntries.size());
            states.addAll(pendingEntries);
            for (int k = 0; k < count; k++) {
                states.add(records[changed[k]].entry());
            }
            if (!commit(states, count + " alarms' transitions are shown but not durable and their events wait")) {
                return false;
            }
        }
        for (int k = 0; k < count; k++) {
            records[changed[k]].committed();
        }
        settled();
        return true;
    }

    /**
     * Journals the alarms a registry version moved to another flag byte, with their new place, before
     * their flags are written there or their old byte cleared: a restart then knows the byte at the new
     * place as theirs. When the journal cannot be written they are committed again with the next scan
     * (their flags are written meanwhile: an alarm annunciates whatever the disk does).
     *
     * @param states the moved alarms' states first, then those of removed alarms still uncommitted
     */
    void commitMoves(List<AlarmRecord> moves, List<Snapshot.Entry> states) {
        if (snapshots == null || states.isEmpty()) {
            return;
        }
        if (!commit(states, moves.size() + " alarms moved to other flag bytes are not durable at their new place")) {
            for (AlarmRecord r : moves) {
                r.commitAgain();
            }
            pendingEntries.addAll(states.subList(moves.size(), states.size()));
            return;
        }
        for (AlarmRecord r : moves) {
            r.committed();
        }
    }

    /**
     * Commits a batch of operator actions, after every state an earlier failure left uncommitted
     * (their events wait ahead of the actions' in the outbox).
     *
     * @param own    the alarms the actions changed
     * @param states their states after the actions, in order
     * @throws IOException the journal cannot be written: nothing is committed, the caller undoes the actions
     */
    void commitActions(AlarmTable table, List<AlarmRecord> own, List<Snapshot.Entry> states) throws IOException {
        List<AlarmRecord> pending = uncommitted ? uncommittedBesides(table, own) : List.of();
        if (snapshots != null) {
            List<Snapshot.Entry> all = new ArrayList<>(pendingEntries.size() + pending.size() + states.size());
            all.addAll(pendingEntries);
            for (AlarmRecord r : pending) {
                all.add(r.entry());
            }
            all.addAll(states);
            try {
                leftOut(snapshots.commit(all));
                journalWorks();
            } catch (IOException e) {
                journalFailed("the alarm journal cannot be written (" + e.getMessage() + "): operator actions are"
                        + " refused until it can");
                throw e;
            }
        }
        for (AlarmRecord r : own) {
            r.committed();
        }
        for (AlarmRecord r : pending) {
            r.committed();
        }
        settled();
    }

    /** States a removed alarm leaves uncommitted: committed with the next commit. */
    void pending(Snapshot.Entry removed) {
        pendingEntries.add(removed);
    }

    /** @return the alarms whose state is not committed, those of {@code own} left out */
    private static List<AlarmRecord> uncommittedBesides(AlarmTable table, List<AlarmRecord> own) {
        Set<AlarmRecord> mine = Collections.newSetFromMap(new IdentityHashMap<>());
        mine.addAll(own);
        List<AlarmRecord> pending = new ArrayList<>();
        for (int i = 0; i < table.records.length; i++) {
            AlarmRecord r = table.records[i];
            if (!table.unadopted[i] && r.uncommitted() && !mine.contains(r)) {
                pending.add(r);
            }
        }
        return pending;
    }

    private void settled() {
        pendingEntries.clear();
        uncommitted = false;
        changes++;
    }

    /**
     * One group commit of states that are already in effect. Entries whose strings cannot be encoded
     * are left out by the journal.
     *
     * @param failed what a failure means, for the report
     * @return whether it is durable; false marks states as uncommitted
     */
    private boolean commit(List<Snapshot.Entry> states, String failed) {
        try {
            leftOut(snapshots.commit(states));
        } catch (IOException e) {
            uncommitted = true;
            journalFailed("the alarm journal cannot be written (" + e.getMessage() + "): " + failed
                    + "; operator actions are refused until it can be written");
            return false;
        }
        journalWorks();
        return true;
    }

    /** Reports, once per alarm, states the journal cannot take; the alarm runs on, its state not durable. */
    private void leftOut(List<String> names) {
        for (String name : names) {
            if (unjournaled.add(name)) {
                LOG.error("The state of alarm '{}' ({} characters) cannot be journaled: the journal takes names up to {}"
                        + " bytes of UTF-8. It annunciates, but a restart does not know its timestamps; shorten the name"
                        + " in the registry.", shortName(name), name.length(), Journal.MAX_NAME_BYTES);
            }
        }
    }

    static String shortName(String name) {
        return name.length() <= 200 ? name : name.substring(0, 200) + "…";
    }

    private void journalFailed(String problem) {
        if (!problem.equals(this.problem)) {
            LOG.error("{}. Free space, make the data folder writable, or raise the open-files limit, as the cause says.",
                    problem);
        }
        this.problem = problem;
    }

    private void journalWorks() {
        if (problem != null) {
            LOG.info("The alarm journal is written again{}", heldDropped == 0 ? ""
                    : "; " + heldDropped + " alarm events of the outage were dropped (more than " + MAX_HELD + " waited)");
            problem = null;
            heldDropped = 0;
        }
    }

    /** @return why the journal cannot be written now, or null */
    String problem() {
        return problem;
    }

    /** Something a snapshot would hold changed without a commit (a registry version, a take-over). */
    void changed() {
        changes++;
    }

    /** @return a counter of changes to what a snapshot would hold */
    long changes() {
        return changes;
    }

    /** @return why a journal write failed, in plain words a client may read: no file names, no library wording */
    static String plainCause(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("no space left")) {
            return "the disk is full";
        }
        if (message.contains("too many open files")) {
            return "the node has too many open files";
        }
        if (message.contains("read-only file system")) {
            return "the file system is read-only";
        }
        if (e instanceof java.nio.file.AccessDeniedException || message.contains("permission denied")) {
            return "permission denied";
        }
        return "an input/output error";
    }
}
