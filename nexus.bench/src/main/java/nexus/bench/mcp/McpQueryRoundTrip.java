package nexus.bench.mcp;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The round trip of the MCP {@code query} tool against a running node: the MCP Java SDK's own client
 * (streamable HTTP) calls {@code query} one call after another and reports the
 * latency percentiles and calls a second. The node's rate limit must allow the calls
 * ({@code rate.per.minute}, {@code rate.burst} in etc/nexus.mcp.cfg): a refused call fails the run.
 * docs/benchmarks.md, "MCP query tool round trip".
 */
public final class McpQueryRoundTrip {

    private McpQueryRoundTrip() {
    }

    public static void main(String[] args) {
        String url = "http://127.0.0.1:8080";
        String token = null;
        String sql = "SELECT id, path, unit FROM tags WHERE path LIKE 'site1/area1/line1/%' ORDER BY path LIMIT 20";
        int calls = 2_000;
        int warmup = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--token" -> token = args[++i];
                case "--sql" -> sql = args[++i];
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: McpQueryRoundTrip [--url http://127.0.0.1:8080] [--token nexus_…] [--sql SELECT…]"
                            + " [--calls 2000] [--warmup 200]");
                    System.exit(2);
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        HttpRequest.Builder requests = HttpRequest.newBuilder();
        if (token != null) {
            requests.header("Authorization", "Bearer " + token);
        }
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(url).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(json)).requestBuilder(requests).build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
                .jsonSchemaValidator(new DefaultJsonSchemaValidator(json)).build()) {
            client.initialize();
            McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("query", Map.of("sql", sql));
            int rows = 0;
            for (int i = 0; i < warmup; i++) {
                rows = check(client.callTool(request));
            }
            long[] nanos = new long[calls];
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                check(client.callTool(request));
                nanos[i] = System.nanoTime() - t0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(nanos);
            System.out.printf("query tool: %d calls of %d rows in %.1f s: %.0f calls/s; p50 %.2f ms, p90 %.2f ms, p99 %.2f ms,"
                    + " max %.2f ms (protocol %s)%n", calls, rows, seconds, calls / seconds, ms(nanos, 0.50), ms(nanos, 0.90),
                    ms(nanos, 0.99), nanos[calls - 1] / 1e6, client.getCurrentInitializationResult().protocolVersion());
        }
    }

    private static int check(McpSchema.CallToolResult result) {
        if (Boolean.TRUE.equals(result.isError())) {
            throw new IllegalStateException("the query tool refused: " + result.content());
        }
        Object rows = ((Map<?, ?>) ((Map<?, ?>) result.structuredContent()).get("rows")).get("registryText");
        return ((java.util.List<?>) rows).size();
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
