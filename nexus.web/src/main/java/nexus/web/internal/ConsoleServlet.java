package nexus.web.internal;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves the console: {@code /} and {@code /console} redirect to {@code /console/}, which is the
 * page; {@code /console/<file>} are its scripts and styles. Only GET and HEAD. Every answer carries
 * the Content Security Policy {@value #CSP} (the page loads and connects to its own origin only,
 * runs no inline script, and may not be framed) and {@code X-Content-Type-Options: nosniff}; files
 * are revalidated on every load ({@code Cache-Control: no-cache}) against their ETag, so an upgraded
 * node never serves a stale script and an unchanged one costs a 304.
 */
final class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The page's own origin for everything; no inline script or style, no plugins, no framing. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";
    static final String ROOT = "/console/";

    private final transient java.util.function.Supplier<Assets> assets;

    /** @param assets the console's files: the bundle's, read once, or (developing) a folder's, read per request */
    ConsoleServlet(java.util.function.Supplier<Assets> assets) {
        this.assets = assets;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        headers(response);
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            plain(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "The console is read with GET.");
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.isEmpty() || path.equals("/") || path.equals("/console")) {
            response.setStatus(HttpServletResponse.SC_FOUND);
            response.setHeader("Location", ROOT);
            return;
        }
        Optional<Assets.Asset> asset = path.startsWith(ROOT) ? assets.get().get(path.substring(ROOT.length())) : Optional.empty();
        if (asset.isEmpty()) {
            plain(response, HttpServletResponse.SC_NOT_FOUND, "The console has no file " + path + ": open " + ROOT);
            return;
        }
        Assets.Asset file = asset.get();
        response.setHeader("ETag", file.etag());
        response.setHeader("Cache-Control", "no-cache");
        if (file.etag().equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(file.contentType());
        response.setContentLength(file.bytes().length);
        if ("GET".equals(method)) {
            response.getOutputStream().write(file.bytes());
        }
    }

    static void headers(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
    }

    private static void plain(HttpServletResponse response, int status, String text) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain; charset=utf-8");
        response.getWriter().write(text);
    }
}
