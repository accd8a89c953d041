package nexus.bench.federation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The HTTP API of one running node, as the load run needs it: SQL queries and {@code /metrics}. */
final class NodeHttp {

    /** One timed query: its rows and the time from sending it to having read the whole answer. */
    record Timed(int rows, boolean truncated, long nanos) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    NodeHttp(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    /** @return the first column of the first row of a query answering one number, or -1 when the node refused it */
    long number(String sql) throws IOException, InterruptedException {
        HttpResponse<String> answer = query(sql, 1);
        if (answer.statusCode() != 200) {
            return -1;
        }
        JsonNode rows = JSON.readTree(answer.body()).path("rows");
        JsonNode first = rows.path(0);
        JsonNode cell = first.isArray() ? first.path(0) : first.elements().hasNext() ? first.elements().next() : null;
        return cell == null || !cell.isNumber() ? -1 : cell.asLong();
    }

    /**
     * @return the rows of the query and how long it took, whole answer read
     * @throws IOException when the node refuses the query, with its status and answer
     */
    Timed timed(String sql, int limit) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> answer = query(sql, limit);
        long nanos = System.nanoTime() - start;
        if (answer.statusCode() != 200) {
            throw new IOException(base + " answered " + answer.statusCode() + " to '" + sql + "': "
                    + answer.body().substring(0, Math.min(300, answer.body().length())));
        }
        JsonNode body = JSON.readTree(answer.body());
        return new Timed(body.path("rows").size(), body.path("truncated").asBoolean(false), nanos);
    }

    /** @return the node's {@code /metrics} text */
    String metrics() throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException(base + "/metrics answered " + answer.statusCode());
        }
        return answer.body();
    }

    private HttpResponse<String> query(String sql, int limit) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("sql", sql).put("limit", limit);
        return http.send(HttpRequest.newBuilder(base.resolve("/api/v1/query")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
