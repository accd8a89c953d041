package nexus.api.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.RmaBackend;

/**
 * {@code GET /api/v1/banks}: the banks of the RMA backend in use, with their write sequences and
 * last write times. 503 {@code BACKEND_UNAVAILABLE} while no backend is registered (for example
 * during a backend swap).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("nexus-banks")
@HttpWhiteboardServletPattern("/api/v1/banks")
public final class BanksServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(BanksServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        RmaBackend current = backend;
        if (current == null) {
            Problems.write(response, JSON, ErrorCode.BACKEND_UNAVAILABLE, "no RMA backend is registered; see GET /health");
            return;
        }
        try {
            var document = BankDocument.of(current);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            JSON.writeValue(response.getOutputStream(), document);
        } catch (NexusException e) {
            // The backend was closed while we read it (a swap): the caller retries.
            LOG.debug("GET /api/v1/banks: {}", e.getMessage());
            Problems.write(response, JSON, e.code(), e.getMessage());
        }
    }
}
