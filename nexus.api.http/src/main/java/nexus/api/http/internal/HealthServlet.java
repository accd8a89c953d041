package nexus.api.http.internal;

import java.io.IOException;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
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
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("nexus-health")
@HttpWhiteboardServletPattern("/health")
@SuppressWarnings("serial") // a servlet here is never serialized
public final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<HealthIndicator> indicators;

    private final Metrics metrics;

    @Activate
    public HealthServlet(@Reference Metrics metrics) {
        this.metrics = metrics;
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
        JSON.writeValue(response.getOutputStream(), HealthDocument.of(report));
        metrics.request("/health", "GET", response.getStatus(), System.nanoTime() - started);
    }
}
