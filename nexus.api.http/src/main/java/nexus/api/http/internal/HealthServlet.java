package nexus.api.http.internal;

import java.io.IOException;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.core.HealthIndicator;
import nexus.core.HealthReport;

/**
 * {@code GET /health}: asks every registered {@link HealthIndicator} and answers 200 when every
 * required component is UP or DEGRADED (the node serves; {@code status} says which), 503 otherwise. Indicators come and go with their bundles; this servlet
 * never needs editing when one is added.
 *
 * <p>The whole document (components, their details, paths and counts) goes only to a caller whose
 * roles grant the route's permission ({@code health}), and to a request without credentials when
 * {@code health.details.anonymous} is set; everyone else, a request without credentials included,
 * gets the status alone: {@code {"status": "UP"}}, with the same HTTP status.
 */
@Component(service = Servlet.class, configurationPid = "nexus.api.http")
@HttpWhiteboardServletName("nexus-health")
@HttpWhiteboardServletPattern("/health")
@HttpWhiteboardServletAsyncSupported // a refusal reads a body away asynchronously (AsyncBody)
@SuppressWarnings("serial") // a servlet here is never serialized
public final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<HealthIndicator> indicators;

    private final Metrics metrics;
    private volatile ApiConfig config;

    @Activate
    public HealthServlet(ApiConfig config, @Reference Metrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** For tests: a servlet on given indicators. */
    HealthServlet(ApiConfig config, Metrics metrics, List<HealthIndicator> indicators) {
        this(config, metrics);
        this.indicators = indicators;
    }

    @Modified
    void modified(ApiConfig changed) {
        this.config = changed;
    }

    /** GET (and HEAD) only: no TRACE echo or OPTIONS page, every other method a 405 problem. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws jakarta.servlet.ServletException,
            IOException {
        if (!Http.getOnly(request, response)) {
            super.service(request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        HealthReport report = HealthReport.of(List.copyOf(indicators));
        response.setStatus(report.isServing() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), details(request) ? HealthDocument.of(report) : HealthDocument.status(report));
        metrics.request("/health", "GET", response.getStatus(), System.nanoTime() - started);
    }

    /** Whether the request gets the whole document. */
    private boolean details(HttpServletRequest request) {
        Requester requester = Requester.of(request);
        if ((requester == null || requester.anonymous()) && config.health_details_anonymous()) {
            return true;
        }
        return requester != null && requester.access().may(ApiRoutes.own("/health").permission());
    }
}
