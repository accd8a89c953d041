package nexus.api.http.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which other web pages may read the API's answers from a browser (CORS): the origins of
 * {@code cors.origins}, none by default. Plain Java, immutable, thread-safe.
 *
 * <p>For an origin named here, answers carry {@code Access-Control-Allow-Origin} with that origin
 * exactly (never {@code *}: the API is called with credentials, and a page not named must not read
 * what a logged-in browser gets), {@code Vary: Origin}, and expose {@code WWW-Authenticate},
 * {@code Retry-After} and {@code Allow}; a preflight ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) is answered 204 with the methods the API serves and the
 * headers {@code Authorization, Content-Type}. A preflight from any other page is refused. The Host
 * and Origin check ({@link HostRules}) still applies to every request: an origin named here is one
 * it allows.
 */
final class CorsRules {

    /** The request headers a page may send. */
    static final String ALLOWED_HEADERS = "Authorization, Content-Type";

    /** The answer headers a page may read besides the simple ones. */
    static final String EXPOSED_HEADERS = "WWW-Authenticate, Retry-After, Allow";

    /** How long a browser may keep a preflight's answer, seconds. */
    static final int MAX_AGE = 600;

    /** No page may. */
    static final CorsRules NONE = new CorsRules(new String[0]);

    private final List<String> configured;
    private final Set<String> origins;

    /**
     * @param origins the origins of {@code cors.origins}: {@code scheme://host[:port]}, each element may
     *                hold several separated by commas
     * @throws IllegalArgumentException naming an entry that is no origin, or {@code *}
     */
    CorsRules(String[] origins) {
        List<String> entries = new ArrayList<>();
        Set<String> normalised = new LinkedHashSet<>();
        for (String value : origins == null ? new String[0] : origins) {
            for (String part : value.split(",")) {
                String entry = part.strip();
                if (entry.isEmpty()) {
                    continue;
                }
                if (entry.equals("*")) {
                    throw new IllegalArgumentException("cors.origins does not take '*': name each origin whose pages may"
                            + " read the API's answers, e.g. https://hmi.plant.example");
                }
                String origin = HostRules.normalisedOrigin(entry);
                if (origin == null) {
                    throw new IllegalArgumentException("cors.origins entry '" + entry + "' is not an origin such as"
                            + " https://hmi.plant.example or http://10.0.0.7:3000");
                }
                entries.add(entry);
                normalised.add(origin);
            }
        }
        this.configured = List.copyOf(entries);
        this.origins = Set.copyOf(normalised);
    }

    /** @return the entries as configured, for the Origin check */
    String[] origins() {
        return configured.toArray(new String[0]);
    }

    /** @return whether a page of this origin (an {@code Origin} header, or null) may read answers */
    boolean allows(String origin) {
        if (origin == null) {
            return false;
        }
        String normalised = HostRules.normalisedOrigin(origin.strip());
        return normalised != null && origins.contains(normalised);
    }

    /** @return the methods the API serves, for a preflight's {@code Access-Control-Allow-Methods} */
    static String methods() {
        Set<String> methods = new LinkedHashSet<>(List.of("GET", "HEAD"));
        ApiRoutes.ALL.forEach(route -> methods.add(route.method()));
        return String.join(", ", methods);
    }
}
