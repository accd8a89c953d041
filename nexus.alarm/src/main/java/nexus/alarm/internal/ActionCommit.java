package nexus.alarm.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.RmaBackend;

/**
 * Carries out one batch of operator actions (an {@link ActionQueue} group commit) all or nothing per
 * action: each is validated and applied in memory, its "done" audit record appended, and then the
 * batch is committed to the journal in one fsync; only then are flag bytes written and events
 * published. An action refused on the way changes nothing; when the audit append fails that action
 * is undone; when the journal commit fails every action of the batch is undone and refused with
 * {@code BACKEND_UNAVAILABLE}. Under the engine's lock.
 */
final class ActionCommit {

    private final ActionRules rules;
    private final ActionAudit audit;
    private final Durability durability;
    private final FlagWriter flags;

    ActionCommit(ActionRules rules, ActionAudit audit, Durability durability, FlagWriter flags) {
        this.rules = rules;
        this.audit = audit;
        this.durability = durability;
        this.flags = flags;
    }

    /**
     * Sets each request's answer or refusal.
     *
     * @param backend      the RMA backend now, or null
     * @param writeFlags   whether the flags may be written to it now (it is the one the scan follows)
     * @param now          wall-clock time
     * @param mono         monotonic milliseconds
     */
    void commit(List<ActionQueue.Request> batch, AlarmTable table, RmaBackend backend, boolean writeFlags, long now,
            long mono) {
        long batchMark = durability.mark();
        List<ActionQueue.Request> applied = new ArrayList<>(batch.size());
        for (ActionQueue.Request q : batch) {
            try {
                apply(q, table, backend, now, mono);
                applied.add(q);
            } catch (RuntimeException e) {
                q.refusal = e;
            }
        }
        if (applied.isEmpty()) {
            return;
        }
        List<AlarmRecord> own = new ArrayList<>(applied.size());
        List<Snapshot.Entry> states = new ArrayList<>(applied.size());
        for (ActionQueue.Request q : applied) {
            own.add(q.record);
            states.add(q.state);
        }
        try {
            durability.commitActions(table, own, states);
        } catch (IOException e) {
            for (int k = applied.size() - 1; k >= 0; k--) {
                ActionQueue.Request q = applied.get(k);
                q.record.takeStateOf(q.undo);
                q.answer = null;
                q.refusal = new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the alarm journal cannot be written ("
                        + Durability.plainCause(e) + "), so alarm '" + q.name + "' was not changed; see GET /health");
            }
            durability.withdraw(batchMark); // this batch's events; those of earlier uncommitted transitions wait on
            return;
        }
        if (writeFlags) {
            flags.writeAll(table, backend);
        }
        durability.publish();
    }

    /** Validates, applies and audits one action; on any refusal the alarm is as it was and no event of it waits. */
    private void apply(ActionQueue.Request q, AlarmTable table, RmaBackend backend, long now, long mono) {
        int index = table.find(q.name, q.access);
        AlarmRecord r = table.records[index];
        q.stateBefore = r.state();
        audit.permit(q, r.tag());
        if (backend == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE,
                    "no RMA backend: alarm flags cannot be stored, so alarm '" + q.name + "' was not changed");
        }
        if (!durability.fits(r.name())) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the state of alarm '" + Durability.shortName(q.name)
                    + "' cannot be journaled (its name is longer than " + Journal.MAX_NAME_BYTES
                    + " bytes of UTF-8), so it was not changed; shorten the name in the registry");
        }
        AlarmRecord undo = r.copy();
        long mark = durability.mark();
        try {
            rules.apply(r, q.action, q.request, now, mono);
            audit.done(q, r.state()); // before the change is committed, written to RMA or published
        } catch (RuntimeException e) {
            // The machine refuses before it changes anything; this undoes a failed audit (and the unforeseen).
            r.takeStateOf(undo);
            durability.withdraw(mark);
            throw e;
        }
        q.record = r;
        q.undo = undo;
        q.answer = table.alarm(index);
        q.state = r.entry();
    }
}
