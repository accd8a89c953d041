package nexus.api.http.internal;

import java.nio.ByteBuffer;
import java.util.Map;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's server-wide error handler, replaced so that what Jetty refuses before any servlet runs
 * (a request line, URI or header it cannot parse, a NUL byte or invalid UTF-8 in the URI, a URI or
 * header block beyond its buffers, an unknown HTTP version) is answered as a problem document too,
 * never as Jetty's HTML page. Felix HTTP offers no setting for this handler (only extra headers);
 * {@link ContainerErrors} installs this one on the server a request came through and puts the
 * previous one back when it stops.
 */
final class JettyProblems implements Request.Handler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (response.isCommitted()) {
            callback.succeeded(); // part of an answer is out: nothing sane can be added
            return true;
        }
        int status = response.getStatus();
        if (status < 400 && request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code) {
            status = code;
        }
        Object reason = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        Map<String, Object> problem = Problems.container(status < 400 ? 500 : status, reason instanceof String r ? r : null);
        response.setStatus((Integer) problem.get("status"));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE + ";charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(Http.JSON.writeValueAsBytes(problem)), callback);
        return true;
    }
}
