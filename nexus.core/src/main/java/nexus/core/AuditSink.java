package nexus.core;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: register one as an OSGi service to receive every audit record after the
 * {@link AuditTrail} has made it durable, in sequence order. {@link #accept} is called on the
 * appending thread, before the act the record describes is carried out and answered, so it must
 * return at once: keep one bounded queue and one thread of its own, and count what it drops (the
 * journal keeps every record whatever a sink drops). A sink that throws is counted and logged by
 * the trail, which goes on with the other sinks. The optional service property
 * {@value #NAME_PROPERTY} names the sink in metrics and health.
 *
 * @since 1.4
 */
@ConsumerType
public interface AuditSink {

    /** The service property naming the sink, e.g. {@code loki}. */
    String NAME_PROPERTY = "nexus.sink.name";

    /** Takes one record. Must return at once and must not throw. */
    void accept(AuditRecord record);
}
