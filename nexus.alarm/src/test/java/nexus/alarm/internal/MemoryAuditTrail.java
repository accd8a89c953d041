package nexus.alarm.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** An audit trail in memory for tests: keeps every record appended; {@link #failing} makes appends fail as a full disk would. */
final class MemoryAuditTrail implements AuditTrail {

    final List<AuditRecord> records = new CopyOnWriteArrayList<>();
    /** While true every append fails with BACKEND_UNAVAILABLE and keeps nothing. */
    volatile boolean failing;

    @Override
    public AuditRecord append(AuditRecord draft) {
        if (failing) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the audit journal cannot be written (the disk is full)");
        }
        AuditRecord appended = draft.appended(records.size() + 1, Instant.now());
        records.add(appended);
        return appended;
    }

    AuditRecord last() {
        return records.get(records.size() - 1);
    }
}
