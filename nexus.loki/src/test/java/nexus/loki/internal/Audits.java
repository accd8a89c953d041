package nexus.loki.internal;

import java.time.Instant;

import nexus.core.AuditRecord;
import nexus.core.Caller;

/** Audit records for the tests, as the audit trail hands them over (appended: sequence and time set). */
final class Audits {

    private Audits() {
    }

    static AuditRecord write(long sequence, String tag, Object before, Object after, Instant time) {
        return AuditRecord.done(Caller.of("alice", java.util.Set.of("operator"), "http 127.0.0.1"), AuditRecord.Target.TAG, tag, "write",
                before, after, null).appended(sequence, time);
    }

    static AuditRecord acknowledge(long sequence, String alarm, Instant time) {
        return AuditRecord.done(Caller.of("bob", "shell"), AuditRecord.Target.ALARM, alarm, "ACKNOWLEDGE",
                "UNACK_ALARM", "ACKED_ALARM", "on the way").appended(sequence, time);
    }
}
