package nexus.sparkplug.internal;

import java.util.function.Supplier;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmService;
import nexus.query.TagService;
import nexus.sparkplug.SparkplugStatus;

/**
 * The edge node role (docs/federation.md). STUB: being built.
 *
 * <p>Threading: every method but {@link #status()} and {@link #alarmEvent} runs on the component's one
 * Sparkplug thread.
 */
final class EdgeNode extends EdgeRole {

    EdgeNode(EdgeSettings settings, Topics topics, Transport transport, Supplier<TagService> tags,
            Supplier<AlarmService> alarms, Commands commands, Counters counters) {
    }

    /**
     * A new MQTT session is about to connect: the next bdSeq (0–255, one more than the last session's).
     *
     * @return the NDEATH payload for the session's will, carrying that bdSeq
     */
    byte[] newSession() {
        throw new UnsupportedOperationException("being built");
    }

    /** The session is connected and its subscriptions are made: the birth follows (now, or when the primary host is online). */
    void online() {
        throw new UnsupportedOperationException("being built");
    }

    /** The session is lost: nothing is published until the next {@link #online()}. */
    void offline() {
        throw new UnsupportedOperationException("being built");
    }

    /** The primary host's STATE arrived (only when one is configured). */
    void primaryHostState(boolean online, long timestamp) {
        throw new UnsupportedOperationException("being built");
    }

    /** Every publish interval: polls the watch and publishes one NDATA of what changed; a new registry version is a new birth. */
    void tick() {
        throw new UnsupportedOperationException("being built");
    }

    /** An NCMD arrived for this node: the raw payload. */
    void command(byte[] payload) {
        throw new UnsupportedOperationException("being built");
    }

    /** @return what was done; publishes a new NBIRTH now */
    String rebirth() {
        throw new UnsupportedOperationException("being built");
    }

    /**
     * The node stops or the configuration changes: the NDEATH to publish before the clean disconnect.
     *
     * @return the NDEATH payload of the current session, or {@code null} when no session was born
     */
    byte[] stop() {
        throw new UnsupportedOperationException("being built");
    }

    /** @return the role's state now; any thread */
    SparkplugStatus.Edge status() {
        throw new UnsupportedOperationException("being built");
    }

    /** An alarm event: queued for the next tick; any thread, never blocks. */
    void alarmEvent(AlarmEvent event) {
    }
}
