package nexus.mcp.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import nexus.alarm.AlarmService;
import nexus.core.AccessPolicy;
import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.query.FindService;
import nexus.query.QueryService;
import nexus.query.TagService;

/** Services for the tool tests: none running, except an audit trail that keeps its records in {@link #audit}. */
final class TestBackends implements Backends {

    final List<AuditRecord> audit = new CopyOnWriteArrayList<>();

    @Override
    public QueryService query() {
        return null;
    }

    @Override
    public TagService tags() {
        return null;
    }

    @Override
    public FindService find() {
        return null;
    }

    @Override
    public AlarmService alarms() {
        return null;
    }

    @Override
    public AccessPolicy policy() {
        return null;
    }

    @Override
    public AuditTrail audit() {
        return draft -> {
            AuditRecord record = draft.appended(audit.size() + 1, Instant.EPOCH);
            audit.add(record);
            return record;
        };
    }
}
