package nexus.api.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
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
 * node does not serve is answered 403 {@code FORBIDDEN} before anything else runs. Configuration:
 * {@code allowed.hosts}, {@code allowed.origins} of PID {@code nexus.api.http}; a bad entry is
 * logged and left out, so the check never falls open.
 */
@Component(service = Filter.class, configurationPid = "nexus.api.http")
@HttpWhiteboardFilterName("nexus-origin")
@HttpWhiteboardFilterPattern("/*")
public final class OriginFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(OriginFilter.class);

    /** The route label refused requests are counted under in {@code nexus_http_requests_total}. */
    static final String REFUSED = "(refused: Host or Origin)";

    /** Replaced in place by a configuration change: the filter never leaves the chain, so no request slips past. */
    private volatile HostRules rules;
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

    static HostRules rules(ApiConfig config) {
        try {
            return new HostRules(config.allowed_hosts(), config.allowed_origins());
        } catch (IllegalArgumentException e) {
            LOG.error("etc/nexus.api.http.cfg: {}; only the node's own address is served until it is fixed", e.getMessage());
            return new HostRules(new String[0], new String[0]);
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        long started = System.nanoTime();
        HttpServletRequest http = (HttpServletRequest) request;
        String refusal = rules.refusal(http.getHeader("Host"), http.getHeader("Origin"), http.getLocalAddr(), http.getLocalPort());
        if (refusal != null) {
            LOG.debug("{} {} refused: {}", http.getMethod(), http.getRequestURI(), refusal);
            Problems.write((HttpServletResponse) response, Http.JSON, ErrorCode.FORBIDDEN, refusal);
            metrics.request(REFUSED, http.getMethod(), 403, System.nanoTime() - started);
            return;
        }
        chain.doFilter(request, response);
    }
}
