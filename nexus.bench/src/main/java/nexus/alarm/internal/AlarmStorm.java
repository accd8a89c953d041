package nexus.alarm.internal;

import java.time.InstantSource;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmSummary;
import nexus.alarm.EventSink;

/**
 * A load run of the alarm engine as the product runs it: 100,000 alarms scanned every 100 ms on a
 * scheduled thread, events handed inline to a sink that queues them for a thread of its own (as the
 * Loki sink does: one bounded queue, one thread, one drop counter), and every second an alarm storm —
 * 10,000 alarms activating in one scan (or clearing in the next storm). Reports every scan's
 * duration, how late each scan started against its schedule, and whether every event reached the
 * sink; the durations also apart for storm scans (that published events) and quiet ones (that did not). A missed scan would show as a scan that took longer than the interval (an overrun) and as
 * fewer scans than the elapsed time allows.
 *
 * <p>Run: {@code java -cp nexus.bench/target/benchmarks.jar nexus.alarm.internal.AlarmStorm [alarms] [storm] [seconds]}
 */
public final class AlarmStorm {

    private AlarmStorm() {
    }

    public static void main(String[] args) throws Exception {
        int alarms = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int storm = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        long interval = AlarmEngine.Settings.DEFAULTS.scanIntervalMillis();
        try (AlarmPlant plant = new AlarmPlant(alarms); QueueingSink sink = new QueueingSink(65_536, plant.delivered)) {
            EventDispatcher dispatcher = new EventDispatcher();
            dispatcher.add(sink, "queueing");
            AlarmEngine engine = plant.engine(InstantSource.system(), dispatcher);
            engine.scan();
            long[] took = new long[seconds * 20];
            long[] late = new long[took.length];
            boolean[] stormy = new boolean[took.length];
            int[] count = { 0 };
            ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor();
            long start = System.nanoTime();
            scanner.scheduleAtFixedRate(() -> {
                long begin = System.nanoTime();
                long handed = sink.handed;
                engine.scan();
                int n = count[0]++;
                if (n < took.length) {
                    took[n] = System.nanoTime() - begin;
                    late[n] = begin - start - n * interval * 1_000_000;
                    stormy[n] = sink.handed != handed;
                }
            }, 0, interval, TimeUnit.MILLISECONDS);
            boolean high = false;
            int step = alarms / storm;
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(1000);
                high = !high;
                for (int i = 0, k = 0; i < alarms && k < storm; i += step, k++) {
                    if (high) {
                        plant.alarming(i);
                    } else {
                        plant.healthy(i);
                    }
                }
            }
            Thread.sleep(500);
            scanner.shutdown();
            scanner.awaitTermination(5, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - start;
            sink.close(); // waits until the sink's thread has taken everything queued
            AlarmSummary summary = engine.summary(dispatcher.stats());
            int scans = Math.min(count[0], took.length);
            long[] sorted = Arrays.copyOf(took, scans);
            Arrays.sort(sorted);
            long maxLate = Arrays.stream(late, 0, scans).max().orElse(0);
            System.out.printf("%d alarms, a storm of %d every second, scan every %d ms, %.1f s%n", alarms, storm, interval,
                    elapsed / 1e9);
            long over = Arrays.stream(sorted).filter(t -> t > interval * 1_000_000).count();
            System.out.printf("scans: %d done, %d possible in the elapsed time, %d longer than the interval"
                    + " (the engine's own count, with the first scan that plans the alarms: %d)%n", count[0],
                    elapsed / (interval * 1_000_000) + 1, over, summary.scan().overruns());
            System.out.printf("scan duration: median %.2f ms, p99 %.2f ms, max %.2f ms; latest start %.2f ms behind schedule%n",
                    sorted[scans / 2] / 1e6, sorted[(int) (scans * 0.99)] / 1e6, sorted[scans - 1] / 1e6, maxLate / 1e6);
            for (boolean storms : new boolean[] { true, false }) {
                long[] some = new long[scans];
                int m = 0;
                for (int n = 0; n < scans; n++) {
                    if (stormy[n] == storms) {
                        some[m++] = took[n];
                    }
                }
                Arrays.sort(some, 0, m);
                String which = storms ? "storm (events published)" : "quiet (no event)";
                if (m == 0) {
                    System.out.printf("%s scans: none%n", which);
                } else {
                    System.out.printf("%s scans: %d, median %.2f ms, p99 %.2f ms, max %.2f ms%n", which, m, some[m / 2] / 1e6,
                            some[(int) (m * 0.99)] / 1e6, some[m - 1] / 1e6);
                }
            }
            System.out.printf("events: %d published, %d handed to the sink, %d taken by its thread, %d dropped by it%n",
                    summary.scan().events(), summary.sinks().get(0).delivered(), plant.delivered.get(), sink.dropped.get());
        }
    }

    /** A sink as a real one is built: publish only queues (dropping the oldest when full); one thread takes the events. */
    private static final class QueueingSink implements EventSink, AutoCloseable {
        private static final AlarmEvent END = new AlarmEvent(0, java.time.Instant.EPOCH, nexus.alarm.AlarmEventType.ACTIVATED,
                AlarmEvent.Kind.ALARM, "", null, null, nexus.core.Severity.LOW, nexus.alarm.AlarmState.NORMAL,
                nexus.alarm.AlarmState.NORMAL, null, null, null, null, null);
        private final ArrayBlockingQueue<AlarmEvent> queue;
        private final AtomicLong dropped = new AtomicLong();
        private final Thread thread;
        /** Events handed to this sink, counted on the scanning thread (the only one that publishes). */
        private long handed;

        QueueingSink(int capacity, AtomicLong taken) {
            queue = new ArrayBlockingQueue<>(capacity);
            thread = new Thread(() -> {
                try {
                    while (queue.take() != END) {
                        taken.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-sink");
            thread.start();
        }

        @Override
        public void publish(AlarmEvent event) {
            handed++;
            while (!queue.offer(event)) {
                if (queue.poll() != null) {
                    dropped.incrementAndGet();
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            queue.put(END);
            thread.join();
        }
    }
}
