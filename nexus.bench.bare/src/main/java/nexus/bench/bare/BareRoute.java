package nexus.bench.bare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The server's bare route, for benchmarks only: {@code GET /bench/bare} always answers {@code 200} with
 * a small JSON document and does nothing else. It sits on the node's default context, so the same
 * container and the same filters (Host and Origin, access) run before it as before the API's routes:
 * the difference between it and {@code GET /api/v1/tags/{path}} in one run is what the tag route itself
 * costs.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("nexus-bench-bare")
@HttpWhiteboardServletPattern(BareRoute.PATTERN)
public final class BareRoute extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String PATTERN = "/bench/bare";

    private static final byte[] BODY = "{\"ok\":true}\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setContentLength(BODY.length);
        response.getOutputStream().write(BODY);
    }
}
