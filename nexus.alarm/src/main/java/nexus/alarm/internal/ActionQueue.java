package nexus.alarm.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import nexus.alarm.ActionRequest;
import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmState;
import nexus.core.Access;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * Group commit for operator actions: callers queue their action; the caller at the head of the
 * queue leads — it carries out every action queued so far in one commit (one fsync) — while the
 * others wait on the queue until theirs is done or they reach the head. Actions queued during a
 * commit's fsync form the next batch, so concurrent actions share fsyncs. Thread-safe.
 */
final class ActionQueue {

    /** One operator action on its way through a group commit. */
    static final class Request {
        final String name;
        final AlarmAction action;
        final ActionRequest request;
        /** What the caller may do, asked of the access policy before the action queued. */
        final Access access;
        /** Set, with the queue's monitor held, once {@link #answer} or {@link #refusal} is final. */
        private boolean done;
        /** Written by the leading caller before {@link #done}. */
        Alarm answer;
        RuntimeException refusal;
        /** The leader's working state: the alarm, its state before (to undo) and after (to commit). */
        AlarmRecord record;
        AlarmRecord undo;
        Snapshot.Entry state;
        /** The alarm's state before the action, once the alarm was found (for the audit record). */
        AlarmState stateBefore;
        /** The "done" audit record was appended: a refusal after it must be audited as well. */
        boolean audited;
        /** The audit trail could not take this action's record: a refusal record would fail as well. */
        boolean trailFailed;

        Request(String name, AlarmAction action, ActionRequest request, Access access) {
            this.name = name;
            this.action = action;
            this.request = request;
            this.access = access;
        }

        private Alarm outcome() {
            if (refusal != null) {
                throw refusal;
            }
            return answer;
        }
    }

    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    /** How many queued requests the leading caller is carrying out; guarded by {@link #queue}. */
    private int leading;

    /**
     * Queues the request and returns its answer once it is carried out, by this caller or another.
     *
     * @param commit carries out a batch: sets each request's answer or refusal (the leading caller runs it)
     * @throws RuntimeException the request's refusal
     */
    Alarm submit(Request request, Consumer<List<Request>> commit) {
        List<Request> batch;
        synchronized (queue) {
            queue.add(request);
            boolean interrupted = false;
            while (!request.done && queue.peek() != request) {
                try {
                    queue.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (!inLeadingBatch(request)) { // not started: it can still be taken back
                        queue.remove(request);
                        Thread.currentThread().interrupt();
                        throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "interrupted while waiting for the"
                                + " alarm journal: alarm '" + request.name + "' was not changed");
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (request.done) {
                return request.outcome();
            }
            batch = new ArrayList<>(queue);
            leading = batch.size();
        }
        try {
            commit.accept(batch);
        } finally {
            synchronized (queue) {
                for (Request q : batch) {
                    if (q.answer == null && q.refusal == null) { // the commit itself failed unexpectedly
                        q.refusal = new NexusException(ErrorCode.INTERNAL, "alarm '" + q.name + "' was not changed");
                    }
                    q.done = true;
                    queue.remove(q);
                }
                leading = 0;
                queue.notifyAll();
            }
        }
        return request.outcome();
    }

    private boolean inLeadingBatch(Request request) {
        int position = 0;
        for (Request q : queue) {
            if (position++ >= leading) {
                return false;
            }
            if (q == request) {
                return true;
            }
        }
        return false;
    }

    /** @return requests waiting behind the batch being carried out */
    int waiting() {
        synchronized (queue) {
            return queue.size() - leading;
        }
    }
}
