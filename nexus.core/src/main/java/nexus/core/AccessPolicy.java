package nexus.core;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns a caller's roles into what it may do. The access control bundle registers one; the tag
 * service, the query engine and the alarm service ask it on every call and then ask the returned
 * {@link Access} (which holds the one write decision). While none is registered every caller has
 * {@link Access#UNRESTRICTED}. Implementations must be thread-safe and cheap (answer from memory,
 * never block on I/O), and fail closed: a policy that cannot decide (no valid role configuration)
 * answers {@link Access#NONE}.
 *
 * @since 2.0
 */
@ConsumerType
public interface AccessPolicy {

    /** @return what the caller may do now */
    Access access(Caller caller);

    /**
     * What every service asks, said once: {@link Access#UNRESTRICTED} without a policy, the policy's
     * answer with one, and {@link Access#NONE} when the policy fails (it fails closed).
     *
     * @param policy the policy registered now, or {@code null}
     */
    static Access accessOf(AccessPolicy policy, Caller caller) {
        if (policy == null) {
            return Access.UNRESTRICTED;
        }
        try {
            Access access = policy.access(caller);
            return access == null ? Access.NONE : access;
        } catch (RuntimeException e) {
            return Access.NONE;
        }
    }
}
