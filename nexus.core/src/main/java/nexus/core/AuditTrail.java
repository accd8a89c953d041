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
     * Appends a record and waits until it is on disk (flushed and synced); then hands it to the
     * sinks without waiting for them.
     *
     * @param draft the record; its sequence and time are set here
     * @return the record as appended, with its sequence and time
     * @throws NexusException BACKEND_UNAVAILABLE when the journal cannot take it (the message says
     *                        why); the caller must then not carry the act out
     */
    AuditRecord append(AuditRecord draft);
}
