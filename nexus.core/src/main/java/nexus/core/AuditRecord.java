package nexus.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited act: a tag write or an alarm action, allowed or refused. Immutable. A front-end
 * never builds one; the service that carries out the act does, once per act, and appends it to
 * the {@link AuditTrail} before it answers.
 *
 * <p>{@code before} and {@code after} carry what the act changed: a {@link Boolean}, a {@link Number},
 * a {@link String} or an enum (an alarm state); the journal and the sinks show booleans and numbers
 * as such and anything else as its text ({@link Enum#name()} for an enum, else {@code toString()}).
 *
 * @param sequence the trail's counter (1, 2, 3, … without gaps, never backwards across restarts);
 *                 0 in a draft not appended yet
 * @param time     when the record was appended, just before the act is carried out; {@code null} in
 *                 a draft
 * @param caller   who did it, in what role, through which front-end
 * @param target   what kind of thing was acted on
 * @param name     the tag's path or the alarm's name, as the caller gave it
 * @param action   what was done: {@code write} for tags, the alarm action's name for alarms
 * @param before   the value (or the alarm's state) before, or {@code null} when unknown
 * @param after    the value asked for (or the alarm's state after), or {@code null}
 * @param result   {@code OK}, or the {@link ErrorCode} name of why it was refused or failed
 * @param refused  whether the act was refused before anything changed
 * @param detail   the comment given with it, or the error message; may be {@code null}
 * @since 1.4
 */
public record AuditRecord(long sequence, Instant time, Caller caller, Target target, String name, String action,
        Object before, Object after, String result, boolean refused, String detail) {

    /** The result of an act that was carried out. */
    public static final String OK = "OK";

    /** What an audited act was done to. */
    public enum Target {
        TAG, ALARM,
        /** An API token created or revoked ({@code name} is the token's name). @since 2.0 */
        TOKEN,
        /** A role's configuration changed ({@code name} is the role). @since 2.0 */
        ROLE,
        /** A registry version changed who may write what ({@code name} is the version). @since 2.0 */
        REGISTRY,
        /** A tool an agent called through the MCP server ({@code name} is the tool; {@code before} its
         *  arguments, cut; {@code after} the rows returned). @since 2.3 */
        TOOL
    }

    public AuditRecord {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(result, "result");
    }

    /** @return a draft of an act that was carried out */
    public static AuditRecord done(Caller caller, Target target, String name, String action, Object before,
            Object after, String detail) {
        return new AuditRecord(0, null, caller, target, name, action, before, after, OK, false, detail);
    }

    /** @return a draft of an act refused before anything changed */
    public static AuditRecord refused(Caller caller, Target target, String name, String action, Object before,
            Object after, NexusException why) {
        return new AuditRecord(0, null, caller, target, name, action, before, after, why.code().name(), true,
                why.getMessage());
    }

    /** @return this record as appended: with its sequence and time */
    public AuditRecord appended(long sequence, Instant time) {
        return new AuditRecord(sequence, time, caller, target, name, action, before, after, result, refused, detail);
    }
}
