package nexus.api.http.internal;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.alarm.AlarmService;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.FindService;
import nexus.query.QueryService;
import nexus.query.SnapshotService;
import nexus.query.TagService;
import nexus.rma.RmaBackend;

/**
 * {@code /api/v1/*}: dispatches each request to its route in {@link ApiRoutes} (query, explain, tags,
 * banks, alarms and their actions, stream tickets, the OpenAPI document) as the identity
 * {@link AccessFilter} established, after checking the route's permission where the service behind
 * it does not. The routes translate JSON to calls of the contracts, made as the request's caller,
 * and back; the rules (scope, who may write what) live behind the contracts. Every error is an RFC 9457 problem with a
 * stable code; every answer is counted in the metrics under its route's pattern. Bodies are read
 * without a thread waiting for them ({@link AsyncBody}): a JSON body before its route runs, and what a
 * refusal or a route left unread before the answer, so that slow or silent clients hold no thread.
 */
@Component(service = Servlet.class, configurationPid = "nexus.api.http")
@Designate(ocd = ApiConfig.class)
@HttpWhiteboardServletName("nexus-api")
@HttpWhiteboardServletPattern("/api/v1/*")
@HttpWhiteboardServletAsyncSupported // bodies are read asynchronously (AsyncBody)
@SuppressWarnings("serial") // a servlet here is never serialized
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    /** Replaced in place by a configuration change, so the servlet stays registered while limits change. */
    private volatile ApiConfig config;
    private final Metrics metrics;
    /** The metadata texts of repeated rows answers: this servlet's, dropped with it. */
    private final transient RowFragments rowFragments = new RowFragments(RowFragments.DEFAULT_BYTES);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile QueryService queries;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagService tags;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AlarmService alarms;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FindService finds;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SnapshotService snapshots;

    @Activate
    public ApiServlet(ApiConfig config, @Reference Metrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** For tests: a servlet on given services (any may be null: its routes then answer BACKEND_UNAVAILABLE). */
    ApiServlet(ApiConfig config, Metrics metrics, QueryService queries, TagService tags, RmaBackend backend,
            AlarmService alarms) {
        this(config, metrics);
        this.queries = queries;
        this.tags = tags;
        this.backend = backend;
        this.alarms = alarms;
    }

    /** For tests: these services and a find service. */
    ApiServlet(ApiConfig config, Metrics metrics, QueryService queries, FindService finds) {
        this(config, metrics);
        this.queries = queries;
        this.finds = finds;
    }

    /** For tests: the snapshot service the snapshot routes use. */
    ApiServlet snapshots(SnapshotService service) {
        this.snapshots = service;
        return this;
    }

    @Modified
    void modified(ApiConfig changed) {
        this.config = changed;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        String method = request.getMethod();
        String route = ApiRoutes.UNKNOWN;
        boolean later = false;
        try {
            // The raw URI is checked before the container decodes it (an ambiguous URI cannot be decoded).
            checkUri(request.getRequestURI());
            checkQueryString(request);
            String path = "/api/v1" + (request.getPathInfo() == null ? "" : request.getPathInfo());
            List<ApiRoutes.Match> matches = ApiRoutes.matches(path);
            route = matches.isEmpty() ? ApiRoutes.UNKNOWN : matches.get(0).route().pattern();
            ApiRoutes.Match match = ApiRoutes.serving(method, matches);
            if (match == null) {
                unserved(method, path, matches, request, response);
                return;
            }
            route = match.route().pattern();
            Optional<NexusException> refusal = match.route().refuse(new ApiRoutes.Exchange(request, response,
                    match.param()).access());
            if (refusal.isPresent()) {
                throw refusal.get(); // refused before the handler read the body: problem() reads it away
            }
            later = readBodyThenServe(match, request, response, route, started);
            if (!later) {
                serve(match, request, response, true);
            }
        } catch (NexusException e) {
            problem(request, response, e);
        } catch (RuntimeException e) {
            failed(request, response, e);
        } finally {
            if (!later) {
                metrics.request(route, method, response.getStatus(), System.nanoTime() - started);
            }
        }
    }

    /**
     * Reads a JSON body the route will parse before it runs, without a thread waiting for it
     * ({@link AsyncBody#readThen}): a client that declares a body and sends it slowly or never holds
     * no request thread. The route then runs, and is counted, on the thread that read the body's end.
     *
     * @return whether the route is served that way; false for a request without a JSON body, one
     *         declared too large (the route refuses it at once), or where the container cannot
     */
    private boolean readBodyThenServe(ApiRoutes.Match match, HttpServletRequest request, HttpServletResponse response,
            String route, long started) throws IOException {
        String type = request.getContentType();
        int max = config.body_max();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json") || max < 0
                || request.getContentLengthLong() > max) {
            return false;
        }
        return AsyncBody.readThen(request, response, max + 1, body -> {
            try {
                if (body == null) {
                    long declared = request.getContentLengthLong();
                    problem(request, response, new NexusException(ErrorCode.INVALID_ARGUMENT, "the body did not arrive"
                            + " whole within " + AsyncBody.BODY_WAIT.toSeconds() + " s: send the whole body at once ("
                            + (declared < 0 ? "chunked" : declared + " bytes announced") + ")"));
                } else {
                    serve(match, AsyncBody.withBody(request, body), response, false);
                }
            } finally {
                metrics.request(route, request.getMethod(), response.getStatus(), System.nanoTime() - started);
            }
        });
    }

    /**
     * Runs the route's handler, answering what it throws as a problem.
     *
     * @param drain whether to read away afterwards what the handler left of the body
     */
    private void serve(ApiRoutes.Match match, HttpServletRequest request, HttpServletResponse response, boolean drain)
            throws IOException {
        try {
            match.route().handler().handle(this, new ApiRoutes.Exchange(request, response, match.param()));
            if (drain) {
                // A route that ignores a body it was sent (the ticket route) leaves it unread: read it away,
                // or the container may close the connection under a client that reuses it.
                AsyncBody.drainThenAnswer(request, response, response.getStatus(), answered -> { });
            }
        } catch (NexusException e) {
            problem(request, response, e);
        } catch (RuntimeException e) {
            failed(request, response, e);
        }
    }

    /** A request that failed unexpectedly: INTERNAL, the details in the log; a client that hung up goes on up. */
    private static void failed(HttpServletRequest request, HttpServletResponse response, RuntimeException e)
            throws IOException {
        if (ContainerErrors.hungUp(e)) {
            throw e; // the client went away: ContainerErrors notes it
        }
        LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        problem(response, ErrorCode.INTERNAL, "the request failed unexpectedly; the log has the details");
    }

    /** No route serves this method on this path: a misdirected alarm action, no route at all, or another method. */
    private static void unserved(String method, String path, List<ApiRoutes.Match> matches, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        NexusException misdirected = method.equals("POST") ? AlarmRoutes.misdirected(path) : null;
        if (misdirected != null) {
            throw misdirected;
        }
        if (matches.isEmpty()) {
            throw new NexusException(ErrorCode.NOT_FOUND, "no route " + method + " " + request.getRequestURI()
                    + ": see GET /api/v1/openapi.json");
        }
        String allowed = ApiRoutes.allowed(matches);
        response.setHeader("Allow", allowed);
        Problems.write(response, Http.JSON, 405, "METHOD_NOT_ALLOWED", "Method not allowed",
                method + " is not allowed on " + matches.get(0).route().pattern() + ": use " + allowed);
    }

    /**
     * Decodes the query string once, up front: a bad %-escape or invalid UTF-8 in it is the client's
     * error (400), not a failure of whichever route reads a parameter first.
     */
    static void checkQueryString(HttpServletRequest request) {
        String type = request.getContentType();
        if (request.getQueryString() == null
                || type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return; // nothing to decode, or a form body the API refuses anyway
        }
        try {
            request.getParameterMap();
        } catch (RuntimeException e) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the query string is malformed: it has an invalid"
                    + " %-escape or is not valid UTF-8 once decoded");
        }
    }

    /** Refuses dot segments, encoded slashes and dots, and NUL bytes in the raw request URI. */
    static void checkUri(String raw) {
        String lower = raw.toLowerCase(Locale.ROOT);
        if (raw.indexOf('\0') >= 0 || lower.contains("%00")) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the path contains a NUL byte");
        }
        if (lower.contains("%2f") || lower.contains("%5c")) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the path contains an encoded slash: tag paths keep"
                    + " their slashes as they are, e.g. /api/v1/tags/plant1/line2/tt101");
        }
        for (String segment : raw.split("/", -1)) {
            String s = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (s.equals(".") || s.equals("..")) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the path contains a '" + segment + "' segment");
            }
        }
    }

    private static void problem(HttpServletResponse response, ErrorCode code, String detail) throws IOException {
        if (response.isCommitted()) {
            return; // the answer is already streaming: nothing sane can be added
        }
        Http.reset(response);
        Problems.write(response, Http.JSON, code, detail);
    }

    /**
     * Answers the problem once what the handler left of the body (all of it, for a refusal before the
     * handler ran, or a 413 or 415 refused unread) is read away: {@link AsyncBody}.
     */
    private static void problem(HttpServletRequest request, HttpServletResponse response, NexusException e)
            throws IOException {
        if (response.isCommitted()) {
            return; // the answer is already streaming: nothing sane can be added
        }
        Http.reset(response);
        AsyncBody.drainThenAnswer(request, response, Problems.status(e.code()), answer -> Problems.write(answer, Http.JSON, e));
    }

    ApiConfig config() {
        return config;
    }

    Metrics metrics() {
        return metrics;
    }

    RowFragments rowFragments() {
        return rowFragments;
    }

    QueryService queries() {
        QueryService current = queries;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the query service is not running; see GET /health");
        }
        return current;
    }

    FindService finds() {
        FindService current = finds;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the find service is not running; see GET /health");
        }
        return current;
    }

    TagService tags() {
        TagService current = tags;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the tag service is not running; see GET /health");
        }
        return current;
    }

    AlarmService alarms() {
        AlarmService current = alarms;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the alarm manager is not running; see GET /health");
        }
        return current;
    }

    SnapshotService snapshots() {
        SnapshotService current = snapshots;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the snapshot service is not running; see GET /health");
        }
        return current;
    }

    RmaBackend backend() {
        RmaBackend current = backend;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no RMA backend is registered; see GET /health");
        }
        return current;
    }
}
