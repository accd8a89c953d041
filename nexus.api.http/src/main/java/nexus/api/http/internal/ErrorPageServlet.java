package nexus.api.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletErrorPage;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Errors the container raises before any servlet runs (an ambiguous or malformed URI, a bad
 * header): answered as problems too, never as an HTML page with internals.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("nexus-error-page")
@HttpWhiteboardServletErrorPage(errorPage = { "4xx", "5xx" })
public final class ErrorPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        String detail = status == 400 ? "the request is malformed (for example an encoded slash, a dot segment or a NUL"
                + " byte in the path, or a bad header)" : "the request could not be served (HTTP " + status + ")";
        String name = status >= 500 ? "INTERNAL" : status == 404 ? "NOT_FOUND" : status == 413 ? "PAYLOAD_TOO_LARGE" : "INVALID_ARGUMENT";
        Problems.write(response, Http.JSON, status, name, status >= 500 ? "Internal error" : "Bad request", detail);
    }
}
