package nexus.distro;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback standing in for Loki's push endpoint: it unpacks every push (gzip
 * or not), answers 400 for an entry whose timestamp is not a string as Loki does, else 204, and keeps
 * each entry's labels, timestamp, line (parsed) and structured metadata.
 */
final class LokiStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> entries = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;

    LokiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/loki/api/v1/push", this::push);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** @return the entries accepted so far that match, in arrival order */
    List<JsonNode> entries(Predicate<JsonNode> which) {
        synchronized (entries) {
            return entries.stream().filter(which).toList();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void push(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            InputStream body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(new ByteArrayInputStream(raw)) : new ByteArrayInputStream(raw);
            JsonNode push = JSON.readTree(body);
            List<JsonNode> received = new ArrayList<>();
            for (JsonNode stream : push.path("streams")) {
                for (JsonNode value : stream.path("values")) {
                    if (!value.path(0).isTextual()) {
                        exchange.sendResponseHeaders(400, -1);
                        return;
                    }
                    received.add(JSON.createObjectNode().<ObjectNode>set("stream", stream.path("stream"))
                            .put("ts", value.path(0).asText()).<ObjectNode>set("line", JSON.readTree(value.path(1).asText()))
                            .set("metadata", value.path(2)));
                }
            }
            entries.addAll(received);
            exchange.sendResponseHeaders(204, -1);
        }
    }
}
