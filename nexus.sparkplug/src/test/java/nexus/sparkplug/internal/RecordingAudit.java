package nexus.sparkplug.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** An audit trail that keeps what was appended; it can be made to refuse, as a full disk would. */
final class RecordingAudit implements AuditTrail {

    final List<AuditRecord> records = new ArrayList<>();
    boolean failing;

    @Override
    public AuditRecord append(AuditRecord draft) {
        if (failing) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the journal's disk is full");
        }
        AuditRecord appended = draft.appended(records.size() + 1, Instant.EPOCH);
        records.add(appended);
        return appended;
    }
}
