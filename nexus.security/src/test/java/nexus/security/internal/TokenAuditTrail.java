package nexus.security.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** An audit trail for tests: keeps what was appended; can be made to refuse appends. */
final class TokenAuditTrail implements AuditTrail {

    final List<AuditRecord> records = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    void failing(boolean failing) {
        this.failing = failing;
    }

    @Override
    public AuditRecord append(AuditRecord draft) {
        if (failing) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the journal's disk is full");
        }
        AuditRecord appended = draft.appended(records.size() + 1, Instant.now());
        records.add(appended);
        return appended;
    }
}
