package nexus.api.http.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.core.MetricsSource;
import nexus.core.NexusException;

/**
 * {@code GET /metrics} in the Prometheus text format (version 0.0.4): the families of every
 * registered {@link MetricsSource}, and nothing else ({@link Exposition}). Each bundle reports its
 * own figures, the HTTP layer's through {@link Metrics}. Served to callers whose roles grant the
 * route's permission ({@code metrics}), or to anyone when {@code metrics.anonymous} is set; 403
 * naming the permission otherwise.
 */
@Component(service = Servlet.class, configurationPid = "nexus.api.http")
@HttpWhiteboardServletName("nexus-metrics")
@HttpWhiteboardServletPattern("/metrics")
@HttpWhiteboardServletAsyncSupported // a refusal reads a body away asynchronously (AsyncBody)
@SuppressWarnings("serial") // a servlet here is never serialized
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final Metrics metrics;

    private final Exposition exposition = new Exposition();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.REPLACE)
    private volatile List<MetricsSource> sources = List.of();

    private volatile ApiConfig config;

    @Activate
    public MetricsServlet(ApiConfig config, @Reference Metrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** For tests: a servlet on given sources. */
    MetricsServlet(ApiConfig config, Metrics metrics, List<MetricsSource> sources) {
        this(config, metrics);
        this.sources = sources;
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
        if (!config.metrics_anonymous()) {
            ApiRoutes.Route route = ApiRoutes.own("/metrics");
            Optional<NexusException> refusal = route.refuse(Requester.accessOf(request));
            if (refusal.isPresent()) {
                Problems.write(response, Http.JSON, refusal.get());
                metrics.request(route.pattern(), "GET", response.getStatus(), System.nanoTime() - started);
                return;
            }
        }
        byte[] body = exposition.render(sources);
        response.setStatus(200);
        response.setContentType(PrometheusText.CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        metrics.request("/metrics", "GET", 200, System.nanoTime() - started);
    }
}
