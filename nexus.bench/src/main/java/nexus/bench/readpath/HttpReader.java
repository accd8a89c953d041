package nexus.bench.readpath;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * A node's read path over HTTP/1.1 with keep-alive, through the JDK's {@link HttpClient} (one per
 * reader, so one connection per client thread): {@code POST /api/v1/query} with a SELECT and a limit,
 * or one tag's {@code GET}. The whole body is received as bytes and decoded by {@link AnswerDecoder}.
 */
final class HttpReader implements Reader {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final HttpRequest request;
    private final ReadOptions options;

    HttpReader(ReadOptions options) {
        this.options = options;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        this.request = request(options);
    }

    static HttpRequest request(ReadOptions options) {
        HttpRequest.Builder builder;
        if (options.kind() == ReadOptions.Kind.GET) {
            builder = HttpRequest.newBuilder(options.url()).GET();
        } else {
            String base = options.url().toString().replaceAll("/+$", "");
            String query = options.format().equals("rows") ? "" : "?format=" + options.format();
            builder = HttpRequest.newBuilder(URI.create(base + "/api/v1/query" + query))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(options.sql(), options.tags())));
        }
        builder.timeout(TIMEOUT).header("Accept", options.format().equals("cbor") ? "application/cbor" : "application/json");
        if (options.token() != null) {
            builder.header("Authorization", "Bearer " + options.token());
        }
        return builder.build();
    }

    /** {@code {"sql": "…", "limit": N}}, the SQL escaped as a JSON string. */
    static String body(String sql, int limit) {
        return "{\"sql\": \"" + new String(JsonStringEncoder.getInstance().quoteAsString(sql)) + "\", \"limit\": " + limit
                + "}";
    }

    /**
     * @return the rows of a query answer, which must be {@link ReadOptions#tags} of them; for a single
     *         tag, the numbers its answer held
     * @throws IOException when the node answers another status or an answer that does not decode
     */
    @Override
    public int read() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": "
                    + new String(response.body(), 0, Math.min(300, response.body().length), StandardCharsets.UTF_8));
        }
        if (options.kind() == ReadOptions.Kind.GET) {
            return Math.max(1, AnswerDecoder.tag(response.body()).numbers());
        }
        AnswerDecoder.Decoded decoded = AnswerDecoder.query(options.format(), response.body());
        if (decoded.rows() != options.tags()) {
            throw new IOException("the query answered " + decoded.rows() + " rows, not the " + options.tags()
                    + " asked for: give --tags the number of rows the SQL selects (a node with fewer tags answers fewer, and the API's rows.max, default 10,000, caps every answer)");
        }
        return decoded.rows();
    }

    @Override
    public void close() {
        // The JDK's client closes its idle connection when it is collected (close() is Java 21).
    }
}
