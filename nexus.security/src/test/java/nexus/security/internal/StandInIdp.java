package nexus.security.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in identity provider: real RSA and EC keys made here, its JWK set served over loopback
 * HTTP by the JDK's own server (what it serves can change, and it can go down and come back on the
 * same port), and JWTs signed with its keys.
 */
final class StandInIdp implements AutoCloseable {

    static final String ISSUER = "https://idp.example.test/realms/plant";
    static final String AUDIENCE = "rma-nexus";
    static final String PATH = "/realms/plant/protocol/openid-connect/certs";

    /** Made once for every test: making RSA keys takes a while. */
    private static final RSAKey RSA = rsa("rsa-1");
    private static final ECKey EC = ec("ec-1");

    final RSAKey rsa = RSA;
    final ECKey ec = EC;
    final AtomicInteger fetches = new AtomicInteger();
    private volatile List<JWK> served;
    private volatile int status = 200;
    private volatile byte[] raw;
    private final int port;
    private HttpServer server;

    /** Serves its RSA and EC keys. */
    StandInIdp() throws IOException {
        served = List.of(rsa, ec);
        server = start(0);
        port = server.getAddress().getPort();
    }

    static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static ECKey ec(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** @return the JWK set's address, http to loopback */
    String url() {
        return "http://127.0.0.1:" + port + PATH;
    }

    /** From now on serves these keys (their public halves). */
    void serve(JWK... keys) {
        served = List.of(keys);
    }

    /** From now on answers every fetch with this status (200 serves the keys). */
    void answer(int httpStatus) {
        status = httpStatus;
    }

    /** From now on answers every fetch with this body instead of its keys. */
    void answer(byte[] body) {
        raw = body;
    }

    /** Stops listening: fetches find the port closed. */
    void down() {
        server.stop(0);
    }

    /** Listens again, on the same port. */
    void up() throws IOException {
        server = start(port);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** @return claims that pass every check at {@code now}: issuer, audience, user alice, roles operator, 5 minutes to live */
    static JWTClaimsSet.Builder claims(Instant now) {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of(AUDIENCE, "account")).subject("alice")
                .claim("roles", List.of("operator")).issueTime(java.util.Date.from(now))
                .expirationTime(java.util.Date.from(now.plusSeconds(300)));
    }

    /** @return the compact JWT, signed by {@code key} (RS256 for RSA, ES256 for EC) naming its kid */
    static String sign(JWK key, JWTClaimsSet claims) {
        try {
            JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
            JWSAlgorithm algorithm = key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    private HttpServer start(int onPort) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        http.createContext(PATH, exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(served).toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
            int now = status;
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            if (now != 200) {
                body = "{\"error\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);
            } else if (raw != null) {
                body = raw;
            }
            exchange.sendResponseHeaders(now, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        return http;
    }
}
