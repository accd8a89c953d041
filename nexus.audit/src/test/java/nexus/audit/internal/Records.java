package nexus.audit.internal;

import nexus.core.AuditRecord;
import nexus.core.Caller;

/** Drafts for the tests. */
final class Records {

    private Records() {
    }

    static AuditRecord write(String tag, Object before, Object after) {
        return AuditRecord.done(Caller.of("alice", "http 127.0.0.1"), AuditRecord.Target.TAG, tag, "write", before,
                after, null);
    }

    static AuditRecord write(int n) {
        return write("site1/line9/tank" + n + "/setpoint", 21.5, 22.0 + n);
    }
}
