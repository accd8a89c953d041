package nexus.loki.internal;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/** One push to Loki over HTTP (the JDK's client): gzip JSON in, a classified outcome out. Thread-safe. */
final class LokiClient {

    /**
     * What a push came to.
     *
     * @param status  the HTTP status, or 0 when there was no answer
     * @param detail  Loki's message (the body, shortened) or the connection error
     * @param nanos   how long the push took
     */
    record Outcome(int status, String detail, long nanos) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Retry on 429, 5xx and no answer at all (connection refused, reset, timeout). */
        boolean retryable() {
            return status == 0 || status == 429 || status >= 500;
        }

        @Override
        public String toString() {
            return status == 0 ? detail : "HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    private final LokiSettings settings;
    private final HttpClient http;

    LokiClient(LokiSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** @throws InterruptedException when the sink is stopping */
    Outcome push(byte[] gzipBody) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.push()).timeout(settings.requestTimeout())
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .header("User-Agent", "rma-nexus-loki").POST(HttpRequest.BodyPublishers.ofByteArray(gzipBody));
        if (settings.tenant() != null) {
            request.header("X-Scope-OrgID", settings.tenant());
        }
        if (settings.authorization() != null) {
            request.header("Authorization", settings.authorization());
        }
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Outcome(response.statusCode(), shorten(response.body()), System.nanoTime() - started);
        } catch (HttpTimeoutException e) {
            return new Outcome(0, "no answer within " + settings.requestTimeout().toMillis() + " ms",
                    System.nanoTime() - started);
        } catch (IOException e) {
            return new Outcome(0, plainWords(e), System.nanoTime() - started);
        }
    }

    /** What went wrong on the way to Loki, for an operator: no class names, no library wording. */
    static String plainWords(IOException e) {
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? null : e.getMessage().strip();
        if (e instanceof java.net.ConnectException) {
            return "cannot connect to Loki (" + (detail == null ? "connection refused" : detail.toLowerCase(java.util.Locale.ROOT)) + ")";
        }
        if (e instanceof java.net.UnknownHostException || e.getCause() instanceof java.net.UnknownHostException) {
            return "cannot find Loki's host name" + (detail == null ? "" : " (" + detail + ")");
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "the TLS handshake with Loki failed" + (detail == null ? "" : " (" + detail + ")");
        }
        return "the connection to Loki failed" + (detail == null ? "" : " (" + detail + ")");
    }

    private static String shorten(String body) {
        String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
