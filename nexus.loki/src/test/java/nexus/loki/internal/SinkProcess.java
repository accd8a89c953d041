package nexus.loki.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import nexus.core.Severity;

/**
 * A Loki sink in a process of its own, for crash tests: {@code SinkProcess <home> <url> <events>
 * <perSecond> [key=value…]} publishes that many alarm events (as fast as it can when perSecond is 0),
 * prints {@code published <n>} after each one, then waits to be killed. The sink's configuration is
 * its defaults with {@code url}, {@code node=crash}, {@code spool_dir=spool} and the given keys
 * (numbers as longs, or ints for batch_size and queue_size).
 */
public final class SinkProcess {

    private SinkProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        String home = args[0];
        int events = Integer.parseInt(args[2]);
        int perSecond = Integer.parseInt(args[3]);
        Map<String, Object> config = new HashMap<>();
        config.put("url", args[1]);
        config.put("node", "crash");
        config.put("spool_dir", "spool");
        for (int i = 4; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            config.put(pair[0], pair[0].equals("batch_size") || pair[0].equals("queue_size")
                    ? (Object) Integer.valueOf(pair[1]) : (Object) Long.valueOf(pair[1]));
        }
        LokiSink sink = new LokiSink(home, Configs.loki(config));
        long started = System.nanoTime();
        for (int n = 1; n <= events; n++) {
            if (perSecond > 0) {
                long due = started + n * TimeUnit.SECONDS.toNanos(1) / perSecond;
                for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
            }
            sink.publish(Events.activated(n, "crash/alarm" + n, Severity.HIGH, Instant.now()));
            System.out.println("published " + n);
        }
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // until killed: nothing is stopped gracefully
    }
}
