package nexus.security.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.JWSAlgorithm;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * A checked {@link JwtConfig}.
 *
 * @param issuer     the {@code iss} every JWT must carry
 * @param audience   a value its {@code aud} must contain
 * @param jwks       where the issuer's keys come from
 * @param rolesClaim the claim (or dotted path) holding the roles
 * @param userClaim  the claim (or dotted path) holding the user's name
 * @param algorithms the signature algorithms accepted, all asymmetric
 * @param clockSkew  how far {@code exp} and {@code nbf} may be off the node's clock
 * @param refresh    how often the keys are fetched again
 * @param cacheMax   how many verified JWTs are kept (0: none)
 */
record JwtSettings(String issuer, String audience, JwksSource jwks, String rolesClaim, String userClaim,
        Set<JWSAlgorithm> algorithms, Duration clockSkew, Duration refresh, int cacheMax) {

    static final String FILE = "etc/nexus.security.jwt.cfg";
    static final int MAX_SKEW_S = 600;
    static final int MIN_REFRESH_S = 10;
    static final int MAX_REFRESH_S = 86_400;
    static final int MAX_CACHE = 1_000_000;

    /** Asymmetric only: a shared secret (HS256) would let whoever verifies a JWT also sign one. */
    static final List<JWSAlgorithm> SUPPORTED = List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);

    JwtSettings {
        algorithms = Set.copyOf(algorithms);
    }

    /**
     * @param home the home folder a relative {@code jwks.file} is resolved against
     * @throws NexusException INVALID_ARGUMENT naming the key that is wrong and how to fix it
     */
    static JwtSettings of(JwtConfig config, String home) {
        String issuer = required("issuer", config.issuer(), "the iss of the identity provider's JWTs, for example"
                + " https://idp.example.com/realms/plant");
        String audience = required("audience", config.audience(), "a value the JWTs' aud contains, usually the"
                + " client id RMA Nexus is registered under");
        String url = strip(config.jwks_url());
        String file = strip(config.jwks_file());
        if (url.isEmpty() == file.isEmpty()) {
            throw invalid((url.isEmpty() ? "neither jwks.url nor jwks.file is set" : "both jwks.url and jwks.file are set")
                    + ": set exactly one, the issuer's keys address (https://…/certs) or a file holding them");
        }
        JwksSource jwks = url.isEmpty() ? new JwksSource.File(file(file, home)) : new JwksSource.Url(uri(url));
        String roles = claim("roles.claim", config.roles_claim());
        String user = claim("user.claim", config.user_claim());
        Set<JWSAlgorithm> algorithms = algorithms(config.algorithms());
        int skew = range("clock.skew.s", config.clock_skew_s(), 0, MAX_SKEW_S);
        int refresh = range("jwks.refresh.s", config.jwks_refresh_s(), MIN_REFRESH_S, MAX_REFRESH_S);
        int cache = range("cache.max", config.cache_max(), 0, MAX_CACHE);
        return new JwtSettings(issuer, audience, jwks, roles, user, algorithms, Duration.ofSeconds(skew),
                Duration.ofSeconds(refresh), cache);
    }

    private static String required(String key, String value, String what) {
        String stripped = strip(value);
        if (stripped.isEmpty()) {
            throw invalid(key + " is not set: set it to " + what);
        }
        return stripped;
    }

    private static String claim(String key, String value) {
        String stripped = strip(value);
        if (stripped.isEmpty() || stripped.startsWith(".") || stripped.endsWith(".") || stripped.contains("..")) {
            throw invalid(key + " = '" + stripped + "' is not a claim name or a dotted path such as realm_access.roles");
        }
        return stripped;
    }

    private static URI uri(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("jwks.url = '" + url + "' is not an address: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw invalid("jwks.url = '" + url + "' is not an https address such as"
                    + " https://idp.example.com/realms/plant/protocol/openid-connect/certs");
        }
        if (scheme.equals("http") && !loopback(uri.getHost())) {
            throw invalid("jwks.url = '" + url + "' uses http to another host: keys fetched without TLS could be"
                    + " replaced on the way. Use https (http is accepted only to localhost, 127.0.0.0/8 or ::1)");
        }
        return uri;
    }

    /** Loopback by name, without asking DNS: {@code localhost}, 127.0.0.0/8, ::1. */
    static boolean loopback(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.equals("::1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static Path file(String file, String home) {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw invalid("jwks.file = '" + file + "' is not a path: " + e.getReason());
        }
        return (path.isAbsolute() ? path : Path.of(home == null ? "." : home).resolve(path)).toAbsolutePath().normalize();
    }

    private static Set<JWSAlgorithm> algorithms(String[] names) {
        String accepted = SUPPORTED.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(", "));
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (String name : names == null ? new String[0] : names) {
            for (String one : strip(name).split("[,\\s]+")) {
                if (one.isEmpty()) {
                    continue;
                }
                JWSAlgorithm algorithm = SUPPORTED.stream().filter(a -> a.getName().equalsIgnoreCase(one)).findFirst()
                        .orElseThrow(() -> invalid("algorithms names '" + one + "', which is not accepted: use some of "
                                + accepted + (one.toUpperCase(java.util.Locale.ROOT).startsWith("HS")
                                        ? " (a shared secret would let whoever verifies a JWT also sign one)" : "")));
                algorithms.add(algorithm);
            }
        }
        if (algorithms.isEmpty()) {
            throw invalid("algorithms is empty: name the ones the identity provider signs with, for example RS256");
        }
        return algorithms;
    }

    private static int range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw invalid(key + " = " + value + " is out of range: use " + min + " to " + max);
        }
        return value;
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message + " (" + FILE + ")");
    }
}
