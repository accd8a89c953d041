package nexus.alarm;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: register one as an OSGi service to receive every alarm event. The alarm manager calls
 * {@link #publish} for each event in the order things happened, on the thread that committed the
 * change (the scan, or the operator action's), right after the change is durable in the alarm
 * journal. It does not queue events for a sink: each sink owns its one bounded queue, the one thread
 * that empties it and the one counter of what it drops when the queue is full, and reports them in
 * its own metrics and health.
 *
 * <p>The optional service property {@value #NAME_PROPERTY} names the sink in metrics and health
 * (default: the implementation's class name).
 */
@ConsumerType
public interface EventSink {

    /** The service property naming the sink, e.g. {@code loki}. */
    String NAME_PROPERTY = "nexus.sink.name";

    /**
     * Takes one event. Runs inside the alarm scan (a 10,000-alarm storm calls it 10,000 times in one
     * scan), so it must only queue the event and return at once — no I/O, no formatting that can
     * wait for the sink's thread, no lock a slow consumer holds; when its queue is full it drops
     * (and counts) rather than wait. Must not throw: an exception is logged and counted by the alarm
     * manager, and the next event is delivered as usual.
     *
     * @param event the event; never {@code null}
     */
    void publish(AlarmEvent event);
}
