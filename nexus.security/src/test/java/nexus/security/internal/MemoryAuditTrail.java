package nexus.security.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** An audit trail in memory, for tests: keeps what it is given, or refuses when told to. */
final class MemoryAuditTrail implements AuditTrail {

    private final List<AuditRecord> records = new ArrayList<>();
    /** Why appends are refused; null while they are taken. */
    volatile String failing;

    @Override
    public synchronized AuditRecord append(AuditRecord draft) {
        if (failing != null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, failing);
        }
        AuditRecord appended = draft.appended(records.size() + 1, Instant.now());
        records.add(appended);
        return appended;
    }

    synchronized List<AuditRecord> records() {
        return List.copyOf(records);
    }
}
