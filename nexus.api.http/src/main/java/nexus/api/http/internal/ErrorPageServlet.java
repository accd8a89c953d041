package nexus.api.http.internal;

import java.io.IOException;
import java.util.Map;

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
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        Map<String, Object> problem = Problems.container(code instanceof Integer i ? i : 500,
                message instanceof String m ? m : null);
        response.setStatus((Integer) problem.get("status"));
        response.setContentType(Problems.CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        Http.JSON.writeValue(response.getOutputStream(), problem);
    }
}
