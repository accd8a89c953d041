package nexus.api.http.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.core.AccessPolicy;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.security.Authenticator;
import nexus.security.Identity;

/**
 * Every request to every servlet of the node (the API, {@code /health}, {@code /metrics}, unknown
 * paths, stream upgrades) is authenticated here, once, after {@link OriginFilter} let its Host and
 * Origin pass: the {@code Authorization} header goes to the {@link Authenticator} with the client's
 * address, and the {@link Requester} it answers rides along in the request for the servlets, which
 * hand its caller to every service call. A refused request goes no further: nothing is read,
 * written or acknowledged (its body is read away, asynchronously and for at most a second, only to
 * keep the connection usable: {@link AsyncBody}).
 *
 * <ul>
 * <li>a credential in the URL ({@code ?access_token=}, {@code ?token=}) → 400, whatever else the
 * request carries: URLs end up in logs and browser histories;</li>
 * <li>no {@code Authenticator} registered → 503 (fail closed), except {@code /health}, which then
 * answers its status only;</li>
 * <li>missing, malformed, unknown, revoked or expired credentials → 401 with
 * {@code WWW-Authenticate: Bearer realm="rma-nexus"} ({@code error="invalid_token"} when a
 * credential was given, RFC 6750); too many failures from the address lately → 429 with
 * {@code Retry-After}. Without credentials {@code /health} (status only) and, with
 * {@code metrics.anonymous}, {@code /metrics} still answer, and so do the web console's files
 * (GET or HEAD of {@code /} and under {@code /console/}: a page and its scripts, no data), even
 * while access control is not running.</li>
 * <li>a stream request ({@code Upgrade: websocket}, or {@code Accept: text/event-stream}) may carry
 * a single-use {@code ?ticket=} instead, from {@code POST /api/v1/stream/tickets}: it is redeemed
 * here (with the identity of its {@code Authorization}, when it has one, as the presenter).</li>
 * </ul>
 * The authenticator counts and logs failed authentications (never the credential); this filter
 * counts refused requests in {@code nexus_http_requests_total} under {@value #REFUSED} and logs
 * nothing about the credential.
 */
@Component(service = Filter.class, configurationPid = "nexus.api.http", property = "service.ranking:Integer=10")
@HttpWhiteboardFilterName("nexus-access")
@HttpWhiteboardFilterAsyncSupported // the event stream servlet answers asynchronously
@HttpWhiteboardFilterPattern("/*")
public final class AccessFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(AccessFilter.class);

    /** The route label refused requests are counted under in {@code nexus_http_requests_total}. */
    static final String REFUSED = "(refused: authentication)";

    /** The challenge of a 401 (RFC 6750), without the error a given credential adds. */
    static final String CHALLENGE = "Bearer realm=\"rma-nexus\"";

    /** Query parameters that would carry a credential in a URL. */
    private static final Set<String> IN_URL = Set.of("access_token", "token");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Authenticator authenticator;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessPolicy policy;

    private volatile ApiConfig config;
    private final Metrics metrics;

    @Activate
    public AccessFilter(ApiConfig config, @Reference Metrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** For tests: a filter on given services (either may be null). */
    AccessFilter(ApiConfig config, Metrics metrics, Authenticator authenticator, AccessPolicy policy) {
        this(config, metrics);
        this.authenticator = authenticator;
        this.policy = policy;
    }

    @Modified
    void modified(ApiConfig changed) {
        this.config = changed;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        long started = System.nanoTime();
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse answer = (HttpServletResponse) response;
        try {
            Requester requester = authenticate(http);
            if (requester != null) {
                request.setAttribute(Requester.ATTRIBUTE, requester);
            }
        } catch (NexusException e) {
            refuse(http, answer, e);
            metrics.request(REFUSED, http.getMethod(), Problems.status(e.code()), System.nanoTime() - started);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * @return who the request is; null for a request without credentials where none are needed
     * @throws NexusException the refusal to answer
     */
    private Requester authenticate(HttpServletRequest request) {
        String inUrl = credentialInUrl(request.getQueryString());
        if (inUrl != null) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "a credential in the URL (?" + inUrl + "=) is refused:"
                    + " URLs end up in logs and browser histories. Send it in the header Authorization: Bearer <token>"
                    + " (browsers opening a stream: POST /api/v1/stream/tickets, then ?ticket=)");
        }
        String path = path(request);
        if (consoleFile(request.getMethod(), mapped(request))) {
            return null; // the web console's files are public: they hold no data, the page logs in for it
        }
        Authenticator current = authenticator;
        // Both or neither: an identity without the policy would act with no policy, which every service
        // takes for "everything" (a node without access control), while nexus.security starts or stops.
        AccessPolicy rules = policy;
        if (current == null || rules == null) {
            if (path.equals("/health")) {
                return null; // the status, for whoever watches the node
            }
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "access control is not running (no "
                    + (current == null ? "authenticator" : "access policy") + "): every request is refused until the"
                    + " nexus.security bundle runs; GET /health answers the status");
        }
        String authorization = request.getHeader("Authorization");
        String address = request.getRemoteAddr();
        if (authorization != null && twice(request, "Authorization")) {
            // Which one counts would be a guess, and a proxy in front may guess otherwise: none does.
            throw new NexusException(ErrorCode.UNAUTHENTICATED, "the request has more than one Authorization header:"
                    + " send one, 'Authorization: Bearer <token>'");
        }
        String ticket = stream(request) ? parameter(request.getQueryString(), "ticket") : null;
        Identity identity;
        try {
            if (ticket != null) {
                Identity presenter = authorization == null ? null : current.authenticate(authorization, address, "http");
                identity = current.redeemTicket(ticket, presenter, address, "http");
            } else {
                identity = current.authenticate(authorization, address, "http");
            }
        } catch (NexusException e) {
            if (authorization == null && ticket == null && answersWithout(path)) {
                return null;
            }
            if (authorization == null && ticket == null && e.code() == ErrorCode.UNAUTHENTICATED
                    && parameter(request.getQueryString(), "ticket") != null) {
                throw new NexusException(ErrorCode.UNAUTHENTICATED, e.getMessage() + ". The ticket was not used: a ticket"
                        + " opens a stream only; send Accept: text/event-stream (EventSource does) or upgrade to a WebSocket");
            }
            throw e;
        }
        return new Requester(identity, current, rules);
    }

    /** @return whether the request carries the header more than once */
    private static boolean twice(HttpServletRequest request, String header) {
        java.util.Enumeration<String> values = request.getHeaders(header);
        if (values == null || !values.hasMoreElements()) {
            return false;
        }
        values.nextElement();
        return values.hasMoreElements();
    }

    /** Whether a request without credentials gets an answer here: /health's status, /metrics when configured. */
    private boolean answersWithout(String path) {
        return path.equals("/health") || path.equals("/metrics") && config.metrics_anonymous();
    }

    /**
     * @return whether the request reads a file of the web console (nexus.web): GET or HEAD of
     *         {@code /}, {@code /console} or under {@code /console/}. They are public — a page, its
     *         scripts and styles, no data — so a browser can load the login form.
     */
    static boolean consoleFile(String method, String path) {
        return ("GET".equals(method) || "HEAD".equals(method))
                && (path.isEmpty() || path.equals("/") || path.equals("/console") || path.startsWith("/console/"));
    }

    /** @return whether a request without credentials may get an answer at this path, in some configuration */
    static boolean mayAnswerWithout(String path) {
        return path.equals("/health") || path.equals("/metrics");
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, NexusException e) throws IOException {
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            String authorization = request.getHeader("Authorization");
            boolean given = authorization != null && !authorization.isBlank()
                    || parameter(request.getQueryString(), "ticket") != null;
            response.setHeader("WWW-Authenticate", given ? CHALLENGE + ", error=\"invalid_token\"" : CHALLENGE);
        }
        if (e.code() == ErrorCode.TOO_MANY_FAILURES && e.retryAfter().isEmpty()) {
            response.setHeader("Retry-After", "1"); // the authenticator gave no hint: never a 429 without one
        }
        LOG.debug("{} {} refused from {}: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(), e.code());
        AsyncBody.drainThenAnswer(request, response, Problems.status(e.code()), answer -> Problems.write(answer, Http.JSON, e));
    }

    /**
     * @return the path the container mapped the request by (servlet path and path info: decoded, with
     *         {@code .} and {@code ..} segments resolved), where the raw URI could still say
     *         {@code /console/../api/v1/...}
     */
    private static String mapped(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String info = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (info == null ? "" : info);
    }

    /** @return the path within the node, e.g. {@code /health}, {@code /api/v1/tags/a} */
    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    /** Where streams are served: the only routes a ticket opens. */
    static final String STREAMS = "/api/v1/stream";

    /**
     * A request that opens a stream, where browsers can send no {@code Authorization}: a GET under
     * {@value #STREAMS} (not the ticket route itself) that upgrades to a WebSocket or accepts an
     * event stream. A ticket on any other request is not looked at.
     */
    private static boolean stream(HttpServletRequest request) {
        String path = path(request);
        if (!(path.equals(STREAMS) || path.startsWith(STREAMS + "/")) || path.startsWith(STREAMS + "/tickets")) {
            return false;
        }
        String upgrade = request.getHeader("Upgrade");
        String accept = request.getHeader("Accept");
        return request.getMethod().equals("GET") && (upgrade != null && upgrade.equalsIgnoreCase("websocket")
                || accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream"));
    }

    /** @return the name of a query parameter that would carry a credential, or null */
    static String credentialInUrl(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decoded(eq < 0 ? pair : pair.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            if (IN_URL.contains(name)) {
                return name;
            }
        }
        return null;
    }

    /** @return the first value of a query parameter, or null (also when it is empty) */
    static String parameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && decoded(pair.substring(0, eq)).equals(name)) {
                String value = decoded(pair.substring(eq + 1));
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /** A malformed escape stays as it is: the servlet refuses the query string with its own message. */
    private static String decoded(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
