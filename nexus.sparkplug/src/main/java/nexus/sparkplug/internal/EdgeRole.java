package nexus.sparkplug.internal;

import nexus.alarm.AlarmEvent;
import nexus.sparkplug.SparkplugStatus;

/**
 * What the MQTT link and the component ask of the edge node ({@link EdgeNode}): the session's
 * lifecycle, the messages that arrive for it and its state. An interface so that the link can be
 * tested on a real broker with a recording edge. An abstract class rather than an interface so that
 * the edge node's methods stay package-private.
 *
 * <p>Threading: every method but {@link #status()}, {@link #birthProblem()} and {@link #alarmEvent}
 * is called on the component's one Sparkplug thread.
 */
abstract class EdgeRole {

    /**
     * A new MQTT session is about to connect: the next bdSeq.
     *
     * @return the NDEATH payload for the session's will, carrying that bdSeq
     */
    abstract byte[] newSession();

    /** The session is connected and its subscriptions are made. */
    abstract void online();

    /** The session is lost (or could not be made): nothing is published until the next {@link #online()}. */
    abstract void offline();

    /** The primary host's STATE arrived. */
    abstract void primaryHostState(boolean online, long timestamp);

    /** Every publish interval. */
    abstract void tick();

    /** An NCMD arrived for this node: the raw payload. */
    abstract void command(byte[] payload);

    /** @return what was done; publishes a new NBIRTH now */
    abstract String rebirth();

    /** @return the NDEATH payload of the current session, or {@code null} when there is none to publish */
    abstract byte[] stop();

    /** @return the role's state now; any thread */
    abstract SparkplugStatus.Edge status();

    /**
     * @return why the connected session has no birth (a namespace larger than edge.metrics.max, no
     *         registry, ...), or {@code null} when it has one or none is known; any thread
     */
    String birthProblem() {
        return null;
    }

    /** An alarm event: queued for the next tick; any thread, never blocks. */
    abstract void alarmEvent(AlarmEvent event);
}
