package nexus.alarm;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: register one as an OSGi service to receive every alarm event. The alarm manager
 * hands each sink the events in the order they happened, from a thread of its own per sink with a
 * bounded queue in front of it, so a slow sink never delays the scan or another sink; when a
 * sink's queue is full the alarm manager drops that sink's oldest events and counts them.
 *
 * <p>The optional service property {@value #NAME_PROPERTY} names the sink in metrics and health
 * (default: the implementation's class name).
 */
@ConsumerType
public interface EventSink {

    /** The service property naming the sink, e.g. {@code loki}. */
    String NAME_PROPERTY = "nexus.sink.name";

    /**
     * Takes one event. Must return at once: buffer it and ship it on a thread of your own. Must not
     * throw; an exception is logged and counted, and the next event is delivered as usual.
     */
    void publish(AlarmEvent event);
}
