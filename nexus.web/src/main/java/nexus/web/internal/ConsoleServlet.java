package nexus.web.internal;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves the console: {@code /} and {@code /console} redirect to {@code /console/}, which is the
 * page; {@code /console/<file>} are its scripts and styles (a path the {@link Assets} do not list is
 * a plain-text 404). Only GET and HEAD (HEAD: the headers of the GET, no body); any other method is
 * 405. Every answer, 302, 304, 404 and 405 included, carries the Content Security Policy
 * {@value #CSP} (the page loads and connects to its own origin only, runs no inline script, and may
 * not be framed), {@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY} and
 * {@code Referrer-Policy: no-referrer}. Files are revalidated on every load
 * ({@code Cache-Control: no-cache}) against their ETag, so an upgraded node never serves a stale
 * script and an unchanged one costs a 304.
 */
final class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The page's own origin for everything; no inline script or style, no plugins, no framing. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";
    static final String ROOT = "/console/";

    private final transient Supplier<Assets> assets;

    /** @param assets the console's files: the bundle's, read once, or (developing) a folder's, read per request */
    ConsoleServlet(Supplier<Assets> assets) {
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
        if (matches(request.getHeader("If-None-Match"), file.etag())) {
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

    /**
     * @return whether an {@code If-None-Match} names the ETag (RFC 9110 §13.1.2: a list, weak
     *         comparison, or {@code *})
     */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String candidate = tag.strip();
            if (candidate.equals("*") || (candidate.startsWith("W/") ? candidate.substring(2) : candidate).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** The headers of every answer: what the page may load, no sniffing, no framing, no referrer. */
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
