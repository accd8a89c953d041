package nexus.security.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * Where the issuer's keys (a JWK set) come from: an address or a file. {@link #load()} blocks (on the
 * keys' own thread, never on a request's) and answers only the public keys.
 */
sealed interface JwksSource {

    /** The most a JWK set may weigh; a few keys take a few kilobytes. */
    int MAX_BYTES = 1 << 20;

    /**
     * @return the public keys, at least one
     * @throws IOException whose message is the reason, for the health entry and the 401: it does not
     *                     repeat the address (see {@link #describe()})
     */
    JWKSet load() throws IOException;

    /** @return the address or the file, for the health entry and the log */
    String describe();

    /** The keys at an https address (or http to loopback), fetched with connect and answer timeouts. */
    record Url(URI uri, HttpClient client) implements JwksSource {

        static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
        static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

        Url(URI uri) {
            this(uri, HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER).build());
        }

        @Override
        public JWKSet load() throws IOException {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(ANSWER_TIMEOUT)
                    .header("Accept", "application/jwk-set+json, application/json").GET().build();
            CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request, info -> new Limited());
            HttpResponse<byte[]> response;
            try {
                // the request timeout ends with the headers: this deadline also bounds the body
                response = answer.get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                answer.cancel(true);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching", e);
            } catch (TimeoutException e) {
                answer.cancel(true);
                throw new IOException("no complete answer within " + ANSWER_TIMEOUT.toSeconds() + " s", e);
            } catch (ExecutionException e) {
                throw new IOException(reason(e.getCause()), e.getCause());
            }
            int status = response.statusCode();
            if (status / 100 == 3) {
                throw new IOException("HTTP " + status + " (redirects are not followed: set jwks.url to the"
                        + " address it redirects to)");
            }
            if (status != 200) {
                throw new IOException("HTTP " + status);
            }
            return parse(new String(response.body(), StandardCharsets.UTF_8));
        }

        private String reason(Throwable failure) {
            if (failure instanceof HttpConnectTimeoutException) {
                return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
            }
            if (failure instanceof HttpTimeoutException) {
                return "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
            }
            if (failure instanceof ConnectException) {
                return "cannot connect (connection refused, or the host is unreachable)";
            }
            if (failure instanceof UnknownHostException || failure instanceof UnresolvedAddressException) {
                return "the host name does not resolve";
            }
            if (failure instanceof SSLException) {
                return "TLS failed: " + failure.getMessage();
            }
            return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        }

        @Override
        public String describe() {
            return uri.toString();
        }
    }

    /** The keys in a file, read again at every refresh. */
    record File(Path path) implements JwksSource {

        @Override
        public JWKSet load() throws IOException {
            try {
                if (Files.size(path) > MAX_BYTES) {
                    throw new IOException("the file is larger than " + MAX_BYTES + " bytes, too large for a JWK set");
                }
                return parse(Files.readString(path, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                throw new IOException("the file does not exist", e);
            } catch (AccessDeniedException e) {
                throw new IOException("the file is not readable (permission denied)", e);
            }
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /** @return the public keys of a JWK set; private keys in it are ignored */
    private static JWKSet parse(String json) throws IOException {
        JWKSet keys;
        try {
            keys = JWKSet.parse(json);
        } catch (ParseException e) {
            throw new IOException("it is not a JWK set ({\"keys\": [...]}): " + e.getMessage(), e);
        }
        JWKSet publicKeys = keys.toPublicJWKSet();
        if (publicKeys.isEmpty()) {
            throw new IOException("the JWK set holds no public keys");
        }
        return publicKeys;
    }

    /** Collects a body of at most {@link #MAX_BYTES}, and fails rather than holding more. */
    final class Limited implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;
        private boolean tooLarge;

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (tooLarge) {
                    return;
                }
                if (bytes.size() + buffer.remaining() > MAX_BYTES) {
                    tooLarge = true;
                    subscription.cancel();
                    body.completeExceptionally(new IOException("the answer is larger than " + MAX_BYTES
                            + " bytes, too large for a JWK set"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}
