package nexus.core;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The audit trail: one durable record per tag write and per alarm action, kept in a local journal
 * under the node's {@code data/} directory whether or not any sink is configured, then handed to
 * every {@link AuditSink}. The services that write tags and act on alarms append a record before
 * they answer; when the append fails they answer {@code BACKEND_UNAVAILABLE} and change nothing.
 * Thread-safe.
 *
 * @since 1.4
 */
@ProviderType
public interface AuditTrail {

    /**
     * Appends a record and waits until it is on disk (written and synced); then hands it to every
     * {@link AuditSink}, in sequence order, on the calling thread (sinks return at once), and returns.
     * Blocks for about one disk sync, which concurrent appends share. A record whose append threw is
     * not in the journal, and its sequence goes to the next record.
     *
     * @param draft the record; its sequence and time are set here
     * @return the record as appended, with its sequence and time
     * @throws NexusException BACKEND_UNAVAILABLE when the journal cannot take it (the message says
     *                        why in plain words), or when the calling thread is interrupted before its
     *                        record was taken (the interrupt flag stays set); INVALID_ARGUMENT when
     *                        the record is too long to journal (more than 1 MiB as a line). In either
     *                        case the caller must not carry the act out.
     */
    AuditRecord append(AuditRecord draft);
}
