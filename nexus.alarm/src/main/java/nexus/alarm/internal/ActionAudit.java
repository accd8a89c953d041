package nexus.alarm.internal;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmState;
import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.Caller;
import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * Who may act and what the audit trail is told: asks the {@link AccessPolicy} (when one is
 * registered) before each action, and appends one {@link AuditRecord} per action to the
 * {@link AuditTrail} — Target ALARM, the action's wire name, the state before and after, the comment
 * or the error message. An action is carried out only once its "done" record is appended; a refused
 * action is audited as refused (when its record cannot be appended, it still answers its refusal).
 * Thread-safe: the trail and the policy are read once per call.
 */
final class ActionAudit {

    private static final Logger LOG = LoggerFactory.getLogger(ActionAudit.class);

    private final Supplier<AuditTrail> trails;
    private final Supplier<AccessPolicy> policies;
    private final AtomicLong unaudited = new AtomicLong();

    /**
     * @param trails   the audit trail now, or null when none runs
     * @param policies the access policy now, or null when none is registered (every caller may act)
     */
    ActionAudit(Supplier<AuditTrail> trails, Supplier<AccessPolicy> policies) {
        this.trails = trails;
        this.policies = policies;
    }

    /** @throws NexusException BACKEND_UNAVAILABLE when no audit trail runs: then no action is taken, nor audited */
    void requireTrail() {
        trail();
    }

    /** @return what the caller may do now ({@link AccessPolicy#accessOf}) */
    Access access(Caller caller) {
        return AccessPolicy.accessOf(policies.get(), caller);
    }

    /** @throws NexusException FORBIDDEN with {@link Access#refuseAction}'s reason when the caller may not take the action */
    void permit(ActionQueue.Request q, String tagPath) {
        Optional<NexusException> refused = q.access.refuseAction(q.action.wireName(), q.action.permission(), q.name,
                tagPath);
        if (refused.isPresent()) {
            throw refused.get();
        }
    }

    /**
     * Appends the record of an action about to be carried out: validated, not committed yet.
     *
     * @param after the alarm's state once it is carried out
     * @throws NexusException BACKEND_UNAVAILABLE when no trail runs or it cannot take the record: the
     *                        action must then change nothing
     */
    void done(ActionQueue.Request q, AlarmState after) {
        AuditTrail trail = trail();
        try {
            trail.append(AuditRecord.done(q.request.caller(), AuditRecord.Target.ALARM, name(q), q.action.wireName(),
                    name(q.stateBefore), after.name(), q.request.comment()));
        } catch (RuntimeException e) {
            q.trailFailed = true;
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the audit trail cannot record the action ("
                    + e.getMessage() + "), so alarm '" + q.name + "' was not changed; see GET /health", e);
        }
        q.audited = true;
    }

    /**
     * Appends the record of a refused action (also of one whose "done" record was appended but that
     * could not be made durable: the trail then says it did not take effect). Never throws: a record
     * that cannot be appended is logged and counted, and the refusal is answered as it is.
     */
    void refused(ActionQueue.Request q, RuntimeException why) {
        if (q.trailFailed) {
            return; // the trail just failed on this action's record; the refusal says so
        }
        NexusException reason = why instanceof NexusException n ? n
                : new NexusException(ErrorCode.INTERNAL, String.valueOf(why.getMessage()), why);
        AuditTrail trail = trails.get();
        try {
            if (trail == null) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no audit trail is running");
            }
            trail.append(AuditRecord.refused(q.request.caller(), AuditRecord.Target.ALARM, name(q),
                    q.action.wireName(), name(q.stateBefore), null, reason));
        } catch (RuntimeException e) {
            long n = unaudited.incrementAndGet();
            if (n % 1000 == 1) {
                LOG.warn("A refused alarm action ({} on '{}' by {}: {}) is not in the audit trail: {} ({} so far)",
                        q.action.wireName(), q.name, q.request.caller().user(), reason.code(), e.getMessage(), n);
            }
        }
    }

    /** @return refused actions whose record the trail could not take */
    long unaudited() {
        return unaudited.get();
    }

    private AuditTrail trail() {
        AuditTrail trail = trails.get();
        if (trail == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE,
                    "no audit trail is running: alarm actions are refused until it is");
        }
        return trail;
    }

    private static String name(ActionQueue.Request q) {
        return q.name == null ? "" : q.name;
    }

    private static String name(AlarmState state) {
        return state == null ? null : state.name();
    }
}
