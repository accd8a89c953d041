package nexus.core;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The permission decision, in one place: the tag service asks it before every write and the alarm
 * service before every action. Access control (phase 4) registers one; while none is registered
 * every caller may do everything the tag's and the alarm's own rules allow. A refusal is audited
 * and answered with {@link ErrorCode#FORBIDDEN}. Implementations must be thread-safe and cheap:
 * answer from memory, never block on I/O.
 *
 * @since 1.4
 */
@ConsumerType
public interface AccessPolicy {

    /** @return why the caller may not write the tag, for the client; empty when it may */
    Optional<String> refuseWrite(Caller caller, String tagPath);

    /** @return why the caller may not do the action on the alarm; empty when it may */
    Optional<String> refuseAction(Caller caller, String alarm, String action);
}
