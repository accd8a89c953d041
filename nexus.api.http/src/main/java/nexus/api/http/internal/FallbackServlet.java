package nexus.api.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.core.ErrorCode;

/** Every path no other servlet serves: a NOT_FOUND problem instead of the container's HTML page. */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("nexus-not-found")
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardServletAsyncSupported // a refusal reads a body away asynchronously (AsyncBody)
public final class FallbackServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Problems.write(response, Http.JSON, ErrorCode.NOT_FOUND, "no route " + request.getMethod() + " "
                + request.getRequestURI() + ": the API lives under /api/v1 (GET /api/v1/openapi.json), health at /health");
    }
}
