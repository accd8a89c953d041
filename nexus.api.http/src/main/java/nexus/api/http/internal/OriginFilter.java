package nexus.api.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
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
import nexus.core.ErrorCode;

/**
 * Every request to every servlet of the node (the API, /health, /metrics, unknown paths, and
 * WebSocket upgrades, which are requests too) passes {@link HostRules} first: a Host or Origin the
 * node does not serve is answered 403 {@code FORBIDDEN} before anything else runs, authentication
 * included ({@link AccessFilter} comes after: a lower service ranking). Then CORS
 * ({@link CorsRules}): a page of a {@code cors.origins} origin gets
 * {@code Access-Control-Allow-Origin} on every answer, and its preflight is answered here, before
 * authentication (browsers send no credentials on a preflight); any other preflight is refused.
 * Configuration: {@code allowed.hosts}, {@code allowed.origins}, {@code cors.origins} of PID
 * {@code nexus.api.http}; a bad entry is logged and left out, so the check never falls open.
 */
@Component(service = Filter.class, configurationPid = "nexus.api.http", property = "service.ranking:Integer=50")
@HttpWhiteboardFilterName("nexus-origin")
@HttpWhiteboardFilterAsyncSupported // the event stream servlet answers asynchronously
@HttpWhiteboardFilterPattern("/*")
public final class OriginFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(OriginFilter.class);

    /** The route label refused requests are counted under in {@code nexus_http_requests_total}. */
    static final String REFUSED = "(refused: Host or Origin)";

    /** The route label answered preflights are counted under. */
    static final String PREFLIGHT = "(CORS preflight)";

    /** The rules of one configuration, replaced together. */
    record Rules(HostRules hosts, CorsRules cors) {
    }

    /** Replaced in place by a configuration change: the filter never leaves the chain, so no request slips past. */
    private volatile Rules rules;
    private final Metrics metrics;

    @Activate
    public OriginFilter(ApiConfig config, @Reference Metrics metrics) {
        this.rules = rules(config);
        this.metrics = metrics;
    }

    @Modified
    void modified(ApiConfig config) {
        this.rules = rules(config);
    }

    static Rules rules(ApiConfig config) {
        CorsRules cors;
        try {
            cors = new CorsRules(config.cors_origins());
        } catch (IllegalArgumentException e) {
            LOG.error("etc/nexus.api.http.cfg: {}; no other page may read answers until it is fixed", e.getMessage());
            cors = CorsRules.NONE;
        }
        String[] origins = config.allowed_origins();
        String[] both = java.util.Arrays.copyOf(origins, origins.length + cors.origins().length);
        System.arraycopy(cors.origins(), 0, both, origins.length, cors.origins().length);
        try {
            return new Rules(new HostRules(config.allowed_hosts(), both), cors);
        } catch (IllegalArgumentException e) {
            LOG.error("etc/nexus.api.http.cfg: {}; only the node's own address is served until it is fixed", e.getMessage());
            return new Rules(new HostRules(new String[0], new String[0]), CorsRules.NONE);
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        long started = System.nanoTime();
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse answer = (HttpServletResponse) response;
        Rules current = rules;
        String origin = http.getHeader("Origin");
        String refusal = current.hosts().refusal(http.getHeader("Host"), origin, http.getLocalAddr(), http.getLocalPort());
        boolean preflight = http.getMethod().equals("OPTIONS") && origin != null
                && http.getHeader("Access-Control-Request-Method") != null;
        boolean shared = current.cors().allows(origin);
        if (refusal == null && preflight && !shared) {
            refusal = "the page at " + origin + " may not call this node from a browser (a CORS preflight was refused):"
                    + " add its origin to cors.origins in etc/nexus.api.http.cfg";
        }
        if (refusal != null) {
            LOG.debug("{} {} refused: {}", http.getMethod(), http.getRequestURI(), refusal);
            String why = refusal;
            AsyncBody.drainThenAnswer(http, answer, 403, refused -> Problems.write(refused, Http.JSON, ErrorCode.FORBIDDEN, why));
            metrics.request(REFUSED, http.getMethod(), 403, System.nanoTime() - started);
            return;
        }
        if (origin != null) {
            answer.addHeader("Vary", "Origin");
        }
        if (shared) {
            answer.setHeader("Access-Control-Allow-Origin", origin);
            if (preflight) {
                answer.setHeader("Access-Control-Allow-Methods", CorsRules.methods());
                answer.setHeader("Access-Control-Allow-Headers", CorsRules.ALLOWED_HEADERS);
                answer.setHeader("Access-Control-Max-Age", String.valueOf(CorsRules.MAX_AGE));
                answer.setStatus(204);
                metrics.request(PREFLIGHT, "OPTIONS", 204, System.nanoTime() - started);
                return;
            }
            answer.setHeader("Access-Control-Expose-Headers", CorsRules.EXPOSED_HEADERS);
        }
        chain.doFilter(request, response);
    }
}
