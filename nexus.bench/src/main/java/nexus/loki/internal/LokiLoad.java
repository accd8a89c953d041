package nexus.loki.internal;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmState;
import nexus.core.Severity;

/**
 * A load run of the Loki sink's shipping path: {@code events} alarm events offered as fast as one
 * thread can, shipped in batches to a loopback HTTP server that reads and discards each body (a
 * stand-in with no cost of its own); reports the time to queue them (what the alarm manager's
 * dispatcher thread spends), the time until the last one is accepted, the pushes, and the gzip
 * body size per event. Also the cost of building one batch body.
 *
 * <p>Run: {@code java -cp nexus.bench/target/benchmarks.jar nexus.loki.internal.LokiLoad [events] [batch.size]}
 */
public final class LokiLoad {

    private LokiLoad() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        AtomicLong bodyBytes = new AtomicLong();
        AtomicLong pushes = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/loki/api/v1/push", exchange -> {
            try (exchange) {
                bodyBytes.addAndGet(exchange.getRequestBody().readAllBytes().length);
                pushes.incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        try {
            Map<String, Object> config = new HashMap<>();
            config.put("url", "http://127.0.0.1:" + server.getAddress().getPort());
            config.put("node", "bench");
            config.put("batch_size", batch);
            config.put("queue_size", events);
            LokiSettings settings = LokiSettings.from(config(config), ".", "bench");
            AlarmEvent[] all = new AlarmEvent[events];
            Instant t0 = Instant.now();
            for (int i = 0; i < events; i++) {
                all[i] = new AlarmEvent(i + 1, t0.plusMillis(i / 1000), i % 3 == 0 ? AlarmEventType.ACKNOWLEDGED
                        : AlarmEventType.ACTIVATED, i % 3 == 0 ? AlarmEvent.Kind.AUDIT : AlarmEvent.Kind.ALARM,
                        "site1/area" + (i % 5) + "/line" + (i % 50) + "/tank" + (i % 40) + "/level_hi",
                        "site1/area" + (i % 5) + "/line" + (i % 50) + "/tank" + (i % 40) + "/level", 90.5f + i % 10,
                        Severity.values()[i % 4], AlarmState.NORMAL, AlarmState.UNACK_ALARM,
                        i % 3 == 0 ? "operator" + (i % 7) : null, i % 3 == 0 ? "checked on site" : null, null, null,
                        "tank level high");
            }
            // Body building alone, warmed up.
            Entries entries = new Entries(settings);
            List<Entry> sample = new java.util.ArrayList<>();
            for (int i = 0; i < batch; i++) {
                sample.add(entries.of(all[i], i));
            }
            long size = 0;
            for (int i = 0; i < 200; i++) {
                size = PushBody.gzip(sample, true).length;
            }
            long started = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                PushBody.gzip(sample, true);
            }
            double bodyMicros = (System.nanoTime() - started) / 200 / 1e3;

            LokiStats stats = new LokiStats();
            Shipper shipper = new Shipper(settings, new LokiClient(settings), null, stats, new ConcurrentHashMap<>());
            shipper.start();
            started = System.nanoTime();
            for (AlarmEvent event : all) {
                shipper.offer(event);
            }
            long queued = System.nanoTime() - started;
            while (stats.sentTotal() < events) {
                Thread.sleep(1);
            }
            long shipped = System.nanoTime() - started;
            shipper.stop(new LokiClient(settings));
            System.out.printf("%d events, batch.size %d: queued in %.0f ms (%.2f µs per event on the publishing thread);"
                    + " all accepted after %.0f ms (%.0f events/s), %d pushes, %d dropped%n", events, batch, queued / 1e6,
                    queued / 1e3 / events, shipped / 1e6, events / (shipped / 1e9), pushes.get(), stats.droppedTotal());
            System.out.printf("gzip JSON body: %.1f bytes per event on the wire; building a %d-event body takes %.0f µs"
                    + " (%.2f µs per event), %d bytes%n", bodyBytes.get() / (double) events, batch, bodyMicros,
                    bodyMicros / batch, size);
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    private static LokiConfig config(Map<String, Object> values) {
        return (LokiConfig) Proxy.newProxyInstance(LokiConfig.class.getClassLoader(), new Class<?>[] { LokiConfig.class },
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName())
                        : method.getDefaultValue());
    }
}
