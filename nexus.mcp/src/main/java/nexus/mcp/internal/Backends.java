package nexus.mcp.internal;

import nexus.alarm.AlarmService;
import nexus.core.AccessPolicy;
import nexus.core.AuditTrail;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.FindService;
import nexus.query.QueryService;
import nexus.query.TagService;

/**
 * The public services the tools call, as registered now: each may be absent (null) while its bundle
 * restarts; {@link #need} turns that into {@code BACKEND_UNAVAILABLE}, a tool error.
 */
interface Backends {

    QueryService query();

    TagService tags();

    FindService find();

    /** @return the alarm service, or null: nexus.alarm is optional */
    AlarmService alarms();

    AuditTrail audit();

    /** @return the access policy, or null on a node without access control (everything allowed) */
    AccessPolicy policy();

    static <T> T need(T service, String what) {
        if (service == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, what + " is not running: retry when /health shows it UP");
        }
        return service;
    }
}
