package nexus.alarm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmSummary;
import nexus.alarm.EventSink;

/**
 * Hands events to the sinks: one bounded queue and one thread per sink, so that {@link #publish}
 * never blocks the scan and a slow or failing sink never holds up another. A full queue drops its
 * oldest event and counts it. Thread-safe.
 */
final class EventDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final int capacity;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();

    /** @param capacity each sink's queue length */
    EventDispatcher(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    int capacity() {
        return capacity;
    }

    /** Starts delivering to a sink: events published from now on reach it. */
    void add(EventSink sink, String name) {
        Channel channel = new Channel(sink, name, capacity);
        channels.add(channel);
        channel.thread.start();
        LOG.info("Alarm events now also go to sink {}", name);
    }

    /** Stops delivering to a sink; events still queued for it are dropped and counted. */
    void remove(EventSink sink) {
        for (Channel channel : channels) {
            if (channel.sink == sink) {
                channels.remove(channel);
                channel.stop();
                LOG.info("Alarm events no longer go to sink {} ({} queued events dropped)", channel.name,
                        channel.queue.size());
            }
        }
    }

    /** Queues the event for every sink; returns at once. */
    void publish(AlarmEvent event) {
        for (Channel channel : channels) {
            channel.offer(event);
        }
    }

    List<AlarmSummary.SinkStats> stats() {
        List<AlarmSummary.SinkStats> stats = new ArrayList<>();
        for (Channel channel : channels) {
            stats.add(new AlarmSummary.SinkStats(channel.name, channel.queue.size(), channel.delivered.get(),
                    channel.dropped.get(), channel.failed.get()));
        }
        return stats;
    }

    /** Blocks until every queue is empty or the time runs out. @return whether all were delivered */
    boolean drain(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Channel channel : channels) {
            while (!channel.idle()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(1);
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (Channel channel : channels) {
            channel.stop();
        }
        channels.clear();
    }

    private static final class Channel implements Runnable {
        final EventSink sink;
        final String name;
        final ArrayBlockingQueue<AlarmEvent> queue;
        final Thread thread;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong offered = new AtomicLong();

        Channel(EventSink sink, String name, int capacity) {
            this.sink = sink;
            this.name = name;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(this, "nexus-alarm-sink-" + name);
            this.thread.setDaemon(true);
        }

        void offer(AlarmEvent event) {
            offered.incrementAndGet();
            while (!queue.offer(event)) {
                if (queue.poll() != null) {
                    dropped.incrementAndGet();
                }
            }
        }

        boolean idle() {
            return offered.get() == delivered.get() + failed.get() + dropped.get();
        }

        private volatile boolean stopped;

        @Override
        public void run() {
            while (!stopped) {
                AlarmEvent event;
                try {
                    event = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (event == null) {
                    continue;
                }
                try {
                    sink.publish(event);
                    delivered.incrementAndGet();
                } catch (Throwable e) {
                    // Even an Error from a sink must not end its delivery thread.
                    if (failed.getAndIncrement() % 1000 == 0) {
                        LOG.warn("Alarm event sink {} threw on an event (it must not; {} so far): {}", name,
                                failed.get(), e.toString());
                    }
                }
            }
        }

        void stop() {
            stopped = true;
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            dropped.addAndGet(queue.size());
            queue.clear();
        }
    }
}
