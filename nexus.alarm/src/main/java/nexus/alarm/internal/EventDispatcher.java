package nexus.alarm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmSummary;
import nexus.alarm.EventSink;

/**
 * Hands each committed event to every registered sink, inline and in order: {@link #accept} calls
 * each sink's {@link EventSink#publish} on the caller's thread (the engine's, under its lock, right
 * after the journal commit). No queue and no thread here: each sink owns its one bounded queue,
 * thread and drop counter. A sink that throws is logged (the first time and then every 1,000th) and
 * counted, and still gets the next event. Thread-safe; sinks come and go while events flow.
 */
final class EventDispatcher implements Consumer<AlarmEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final List<Channel> channels = new CopyOnWriteArrayList<>();

    /** Starts delivering to a sink: events committed from now on reach it. */
    void add(EventSink sink, String name) {
        channels.add(new Channel(sink, name));
        LOG.info("Alarm events now also go to sink {}", name);
    }

    /** Stops delivering to a sink. */
    void remove(EventSink sink) {
        for (Channel channel : channels) {
            if (channel.sink == sink) {
                channels.remove(channel);
                LOG.info("Alarm events no longer go to sink {}", channel.name);
            }
        }
    }

    /** Hands the event to every sink, one after the other; returns when each has taken it (or thrown). */
    @Override
    public void accept(AlarmEvent event) {
        for (Channel channel : channels) {
            channel.deliver(event);
        }
    }

    /** @return per sink: events it took, events on which it threw */
    List<AlarmSummary.SinkStats> stats() {
        List<AlarmSummary.SinkStats> stats = new ArrayList<>();
        for (Channel channel : channels) {
            stats.add(new AlarmSummary.SinkStats(channel.name, channel.delivered.get(), channel.failed.get()));
        }
        return stats;
    }

    private static final class Channel {
        final EventSink sink;
        final String name;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        Channel(EventSink sink, String name) {
            this.sink = sink;
            this.name = name;
        }

        void deliver(AlarmEvent event) {
            try {
                sink.publish(event);
                delivered.incrementAndGet();
            } catch (Throwable e) {
                // Even an Error from a sink must not stop the scan or keep the event from the other sinks.
                long failures = failed.incrementAndGet();
                if (failures % 1000 == 1) {
                    LOG.warn("Alarm event sink {} threw on an event (it must not; {} so far): {}", name, failures,
                            e.toString());
                }
            }
        }
    }
}
