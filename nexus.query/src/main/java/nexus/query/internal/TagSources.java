package nexus.query.internal;

import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/**
 * The services the tag service works with, as they are now: each may come and go, so an operation
 * asks once and keeps the answer for its duration.
 */
interface TagSources {

    /**
     * @return the registry service
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE when none is running
     */
    TagRegistry registry();

    /** @return the RMA backend in use, or {@code null} when none is registered */
    RmaBackend backend();

    /** @return the audit trail, or {@code null} when none is running (writes are then refused) */
    AuditTrail audit();

    /** @return the access policy, or {@code null} when none is registered (everyone may write) */
    AccessPolicy policy();

    /** @return what the caller may do now ({@link AccessPolicy#accessOf}) */
    default Access access(Caller caller) {
        return AccessPolicy.accessOf(policy(), caller);
    }
}
