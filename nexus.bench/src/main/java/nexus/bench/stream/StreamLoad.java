package nexus.bench.stream;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A load run of the live streams (docs/streams.md, docs/benchmarks.md "Live streams") against a
 * running node, from a JVM of its own: N WebSocket clients on one JDK {@link HttpClient}, each with one
 * tag subscription, K of them stalled. After a warm-up it measures for a fixed time: values/s
 * delivered, latency (receipt − the value's bank write time) p50/p99/max and each client's p99,
 * sequence gaps, how connections ended; with the node's pid, its CPU time and heap. Nothing is
 * asserted. {@link LoadOptions#USAGE} lists the options.
 *
 * <p>Run: {@code java -cp nexus.bench/target/benchmarks.jar nexus.bench.stream.StreamLoad --clients 100 --pid PID}
 */
public final class StreamLoad {

    /** Connections opened at once: a thousand simultaneous upgrades would measure the handshake, not the stream. */
    /** Connections per JDK client, that is per selector thread. */
    private static final int CLIENTS_PER_SELECTOR = 25;
    private static final int CONNECT_BATCH = 50;
    private static final Duration MINUTE = Duration.ofSeconds(60);

    private final LoadOptions options;
    private final PrintStream out;

    StreamLoad(LoadOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("stream load: " + e.getMessage());
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new StreamLoad(options, System.out).run());
    }

    /** @return the exit status: 0, or 1 when no reading client could connect */
    int run() throws IOException, InterruptedException {
        String subscribe = subscribeMessage();
        out.printf(Locale.ROOT, "stream load: %d clients (%d stalled) on %s, %s, sampling %d ms, %d s measured after a"
                + " %d s warm-up%n", options.clients(), options.stalled(), options.url(), options.paths() == null
                        ? "SQL: " + options.sql() : options.tags() + " paths of " + options.paths(),
                options.samplingMs(), options.seconds(), options.warmup());
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread thread = new Thread(r, "stream-load-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            // One JDK client (one selector thread) per CLIENTS_PER_SELECTOR connections: with one for all,
            // the reads of a round of messages queue behind each other and show as the node's latency.
            List<HttpClient> https = new ArrayList<>();
            for (int i = 0; i < Math.max(1, (options.clients() + CLIENTS_PER_SELECTOR - 1) / CLIENTS_PER_SELECTOR); i++) {
                https.add(HttpClient.newBuilder().executor(pool).connectTimeout(Duration.ofSeconds(10)).build());
            }
            LoadClient.Phase phase = new LoadClient.Phase();
            List<LoadClient> clients = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            connect(https, subscribe, phase, clients, refused);
            if (clients.stream().noneMatch(c -> !c.stalled())) {
                out.println("no reading client could connect: " + (refused.isEmpty() ? "-" : refused.get(0)));
                return 1;
            }
            LoadReport report = measure(phase, clients, refused);
            end(phase, clients);
            out.print(report.text());
            if (options.row()) {
                out.println("| " + report.row());
            }
            return 0;
        } finally {
            pool.shutdownNow();
        }
    }

    private void connect(List<HttpClient> https, String subscribe, LoadClient.Phase phase, List<LoadClient> clients,
            List<String> refused) throws InterruptedException {
        for (int first = 0; first < options.clients(); first += CONNECT_BATCH) {
            List<LoadClient> batch = new ArrayList<>();
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int i = first; i < Math.min(options.clients(), first + CONNECT_BATCH); i++) {
                LoadClient client = new LoadClient(i < options.stalled(), subscribe, phase, StreamLoad::epochNanos);
                HttpClient http = https.get(i % https.size());
                WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
                if (options.token() != null) {
                    builder.header("Authorization", "Bearer " + options.token());
                }
                batch.add(client);
                opening.add(builder.buildAsync(options.url(), client));
            }
            for (int i = 0; i < batch.size(); i++) {
                try {
                    opening.get(i).get(30, TimeUnit.SECONDS);
                    clients.add(batch.get(i));
                } catch (ExecutionException e) {
                    refused.add(refusal(e.getCause()));
                } catch (TimeoutException e) {
                    refused.add("no answer to the upgrade within 30 s");
                }
            }
        }
    }

    /** @return why an upgrade failed: the node's status and answer when it gave one */
    static String refusal(Throwable cause) {
        if (cause instanceof WebSocketHandshakeException handshake) {
            HttpResponse<?> response = handshake.getResponse();
            Object body = response.body();
            return "HTTP " + response.statusCode() + (body == null ? "" : " " + MessageScan.abbreviate(body.toString().strip()))
                    + (handshake.getMessage() == null ? "" : " (" + handshake.getMessage() + ")");
        }
        return String.valueOf(cause);
    }

    private LoadReport measure(LoadClient.Phase phase, List<LoadClient> clients, List<String> refused)
            throws InterruptedException {
        long subscribed = System.nanoTime();
        NodeProbe node = options.pid() > 0 ? new NodeProbe(options.pid()) : null;
        String probeFailure = null;
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.warmup()));
        long nodeCpu = -1;
        long selfCpu = selfCpuNanos();
        long heapMinute1 = -1;
        long heapEnd = -1;
        try {
            nodeCpu = node == null ? -1 : node.cpuNanos();
        } catch (IOException e) {
            probeFailure = "cannot read the node's CPU time: " + e.getMessage();
        }
        phase.measuring = true;
        long started = System.nanoTime();
        long end = started + TimeUnit.SECONDS.toNanos(options.seconds());
        long minute1 = subscribed + MINUTE.toNanos();
        if (options.heap() && minute1 > System.nanoTime() && minute1 < end) {
            sleepUntil(minute1);
            try {
                heapMinute1 = node.heapAfterFullGc();
            } catch (IOException e) {
                probeFailure = "cannot read the node's heap: " + e.getMessage();
            }
        }
        sleepUntil(end);
        phase.measuring = false;
        long measured = System.nanoTime() - started;
        selfCpu = selfCpu < 0 ? -1 : selfCpuNanos() - selfCpu;
        try {
            nodeCpu = node == null || nodeCpu < 0 ? -1 : node.cpuNanos() - nodeCpu;
            heapEnd = options.heap() ? node.heapAfterFullGc() : -1;
        } catch (IOException e) {
            probeFailure = "cannot probe the node: " + e.getMessage();
        }
        drainStalled(clients);
        return new LoadReport(options, clients.stream().map(LoadClient::figures).toList(), refused, measured, nodeCpu,
                selfCpu, heapMinute1, heapEnd, probeFailure);
    }

    /** Stalled clients read at last, so that the node's close (4008) reaches them; 20 s at most. */
    private static void drainStalled(List<LoadClient> clients) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (LoadClient client : clients) {
            if (client.stalled()) {
                client.drain();
                closing.add(client.closed());
            }
        }
        awaitAll(closing, Duration.ofSeconds(20));
    }

    /** Closes every connection normally; those that do not close within 5 s are dropped. */
    private static void end(LoadClient.Phase phase, List<LoadClient> clients) {
        phase.ending = true;
        clients.forEach(LoadClient::close);
        awaitAll(clients.stream().map(LoadClient::closed).toList(), Duration.ofSeconds(5));
        clients.forEach(LoadClient::abort);
    }

    private static void awaitAll(List<CompletableFuture<Void>> futures, Duration most) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(most.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // The stragglers are reported as still open, or dropped by the caller.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String subscribeMessage() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode message = json.createObjectNode().put("type", "subscribe").put("id", "1");
        if (options.paths() == null) {
            message.put("sql", options.sql());
        } else {
            var paths = message.putArray("paths");
            Files.readAllLines(options.paths()).stream().map(String::strip).filter(p -> !p.isEmpty() && !p.startsWith("#"))
                    .limit(options.tags()).forEach(paths::add);
        }
        message.put("samplingMs", options.samplingMs());
        return json.writeValueAsString(message);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** @return this JVM's CPU time, or -1 when the platform does not say */
    private static long selfCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
