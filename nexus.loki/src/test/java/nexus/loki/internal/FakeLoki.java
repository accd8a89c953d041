package nexus.loki.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback that implements Loki's push endpoint the way Loki checks it:
 * {@code POST /loki/api/v1/push}, JSON (gzip or not), {@code streams} with label names of Loki's
 * syntax and string values, {@code values} as [timestamp as a string of digits, line, optional
 * structured metadata of strings]. It keeps what it accepted (identical timestamp and line in a
 * stream once, as Loki does) and answers with the statuses a test scripts: 204 by default, or 400,
 * 429, 500, or a stall that never answers until released; optionally each answer comes late.
 */
final class FakeLoki implements AutoCloseable {

    /** A stall: the request gets no answer until {@link #release()}. */
    static final int STALL = -1;

    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One accepted entry. */
    record Pushed(Map<String, String> stream, String ts, String line, Map<String, String> metadata) {
        JsonNode json() {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** One request as it arrived. */
    record Request(int status, String encoding, String tenant, String authorization, int entries) {
    }

    private final HttpServer server;
    private final Set<String> seen = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<Pushed> accepted = Collections.synchronizedList(new ArrayList<>());
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private volatile int otherwise = 204;
    private volatile long delayMillis;
    private volatile CountDownLatch stall = new CountDownLatch(1);

    FakeLoki() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/loki/api/v1/push", this::push);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next requests get these statuses (then {@link #otherwise}). */
    FakeLoki answer(int... statuses) {
        for (int status : statuses) {
            script.add(status);
        }
        return this;
    }

    /** Requests beyond the script get this status. */
    FakeLoki otherwise(int status) {
        this.otherwise = status;
        return this;
    }

    /** Every answer comes this much later: a slow Loki. */
    FakeLoki delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    /** Lets stalled requests go (they then get 204) and stops stalling. */
    void release() {
        otherwise = otherwise == STALL ? 204 : otherwise;
        stall.countDown();
    }

    List<Pushed> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void push(HttpExchange exchange) throws IOException {
        try (exchange) {
            Integer scripted = script.poll();
            int status = scripted != null ? scripted : otherwise;
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (status == STALL) {
                try {
                    stall.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                status = 204;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                answer(exchange, 405, "POST only");
                return;
            }
            List<Pushed> entries;
            try {
                InputStream body = "gzip".equals(encoding) ? new GZIPInputStream(new ByteArrayInputStream(raw))
                        : new ByteArrayInputStream(raw);
                entries = parse(JSON.readTree(body));
            } catch (IOException | IllegalArgumentException e) {
                requests.add(new Request(400, encoding, tenant(exchange), auth(exchange), 0));
                answer(exchange, 400, "loghttp.PushRequest: " + e.getMessage());
                return;
            }
            requests.add(new Request(status, encoding, tenant(exchange), auth(exchange), entries.size()));
            if (status == 204 || status == 200) {
                for (Pushed entry : entries) {
                    if (seen.add(entry.stream() + "|" + entry.ts() + "|" + entry.line())) {
                        accepted.add(entry);
                    }
                }
            }
            answer(exchange, status, status == 400 ? "entry for stream has timestamp too old" : status == 429
                    ? "Ingestion rate limit exceeded" : status >= 500 ? "internal server error" : "");
        }
    }

    private static String tenant(HttpExchange exchange) {
        return exchange.getRequestHeaders().getFirst("X-Scope-OrgID");
    }

    private static String auth(HttpExchange exchange) {
        return exchange.getRequestHeaders().getFirst("Authorization");
    }

    private static void answer(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        if (status == 204 || body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Loki's checks: the JSON shape, label names, string timestamps of digits, string lines and metadata. */
    static List<Pushed> parse(JsonNode body) {
        JsonNode streams = body.get("streams");
        if (streams == null || !streams.isArray()) {
            throw new IllegalArgumentException("no streams array");
        }
        List<Pushed> entries = new ArrayList<>();
        for (JsonNode stream : streams) {
            JsonNode labels = stream.get("stream");
            if (labels == null || !labels.isObject() || labels.isEmpty()) {
                throw new IllegalArgumentException("a stream without labels");
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> label = it.next();
                if (!LABEL.matcher(label.getKey()).matches() || label.getKey().startsWith("__")) {
                    throw new IllegalArgumentException("invalid label name " + label.getKey());
                }
                if (!label.getValue().isTextual()) {
                    throw new IllegalArgumentException("label " + label.getKey() + " is not a string");
                }
                map.put(label.getKey(), label.getValue().asText());
            }
            JsonNode values = stream.get("values");
            if (values == null || !values.isArray()) {
                throw new IllegalArgumentException("a stream without values");
            }
            for (JsonNode value : values) {
                if (!value.isArray() || value.size() < 2 || value.size() > 3) {
                    throw new IllegalArgumentException("a value is not [ts, line(, metadata)]");
                }
                if (!value.get(0).isTextual() || !value.get(0).asText().matches("[0-9]{1,19}")) {
                    throw new IllegalArgumentException("timestamp " + value.get(0) + " is not a string of nanoseconds");
                }
                if (!value.get(1).isTextual()) {
                    throw new IllegalArgumentException("the line is not a string");
                }
                Map<String, String> metadata = new LinkedHashMap<>();
                if (value.size() == 3) {
                    if (!value.get(2).isObject()) {
                        throw new IllegalArgumentException("structured metadata is not an object");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> it = value.get(2).fields(); it.hasNext();) {
                        Map.Entry<String, JsonNode> field = it.next();
                        if (!field.getValue().isTextual()) {
                            throw new IllegalArgumentException("metadata " + field.getKey() + " is not a string");
                        }
                        metadata.put(field.getKey(), field.getValue().asText());
                    }
                }
                entries.add(new Pushed(map, value.get(0).asText(), value.get(1).asText(), metadata));
            }
        }
        return entries;
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
