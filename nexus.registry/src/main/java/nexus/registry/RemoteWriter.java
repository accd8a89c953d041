package nexus.registry;

import org.osgi.annotation.versioning.ConsumerType;

import nexus.core.Caller;

/**
 * Carries a write to a {@linkplain Contribution contributed} tag out at the node that owns it — a
 * federation host's mirror of an edge node's tag is written by that edge node, not in the mirror. The
 * tag service calls it after its own checks (the caller's permission, the tag being writable, the
 * value's type and range) and after the audit record; the owning node checks and audits the write
 * again under its own rules.
 *
 * <p>Implemented by the contributor ({@link Contribution.ContributedBank#writer()}); found through
 * {@link Registry#remoteWriter(int)}. Thread-safe: called from any thread, by many at once.
 *
 * @since 2.2
 */
@ConsumerType
public interface RemoteWriter {

    /**
     * Writes a value to a tag at the node that owns it and waits for that node's answer. Blocks at most
     * the contributor's configured answer time (e.g. {@code host.write.timeout.ms} of the Sparkplug host).
     *
     * @param caller who writes: the owning node acts for this user (its own roles decide there)
     * @param tag    the tag, as the registry version serving the write has it (one of the contributed
     *               tags of the writer's bank)
     * @param value  the value, already checked against the tag's type and range ({@code Boolean},
     *               {@code Long}, {@code Double} or {@code String}, as {@code nexus.rma.RmaType} holds them)
     * @return the value the owning node answered it holds after the write (may differ from {@code value}:
     *         the node may round or clamp it), or {@code null} when its answer carried none; by the time
     *         this returns, the contributed memory holds the answer too
     * @throws nexus.core.NexusException the node's refusal with its code and reason (e.g. FORBIDDEN,
     *                                   NOT_WRITABLE, INVALID_ARGUMENT, CONFLICT); BACKEND_UNAVAILABLE
     *                                   when the node cannot be reached now (nothing was sent);
     *                                   OVERLOADED when too many writes wait for answers (nothing was
     *                                   sent); OUTCOME_UNKNOWN when the write was sent and no answer
     *                                   came in time (it may or may not have been carried out)
     */
    Object write(Caller caller, Tag tag, Object value);
}
