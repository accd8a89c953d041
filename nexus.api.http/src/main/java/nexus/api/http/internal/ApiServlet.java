package nexus.api.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.alarm.AlarmService;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryService;
import nexus.query.ReadPlan;
import nexus.query.TagValue;
import nexus.registry.Registry;
import nexus.registry.Tag;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;
import nexus.rma.ValueCodec;

/**
 * {@code /api/v1/*}: query, explain, tags (get, list, write), banks, alarms (list, get, operator
 * actions) and the OpenAPI document.
 * Every error is an RFC 9457 problem with a stable code; every answer is counted in the metrics.
 */
@Component(service = Servlet.class, configurationPid = "nexus.api.http")
@Designate(ocd = ApiConfig.class)
@HttpWhiteboardServletName("nexus-api")
@HttpWhiteboardServletPattern("/api/v1/*")
@SuppressWarnings("serial") // a servlet here is never serialized
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    /** Replaced in place by a configuration change, so the servlet stays registered while limits change. */
    private volatile ApiConfig config;
    private final Metrics metrics;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile QueryService queries;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AlarmService alarms;

    @Activate
    public ApiServlet(ApiConfig config, @Reference Metrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @Modified
    void modified(ApiConfig changed) {
        this.config = changed;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        String method = request.getMethod();
        String route = "/api/v1/unknown";
        try {
            // The raw URI is checked before the container decodes it (an ambiguous URI cannot be decoded).
            checkUri(request.getRequestURI());
            checkQueryString(request);
            String path = request.getPathInfo() == null ? "" : request.getPathInfo();
            route = route(method, path);
            switch (route) {
                case "/api/v1/query" -> query(request, response, method);
                case "/api/v1/explain" -> only(method, "POST", () -> explain(request, response));
                case "/api/v1/tags" -> only(method, "GET", () -> listTags(request, response));
                case "/api/v1/tags/{path}" -> tag(request, response, method, path.substring("/tags/".length()));
                case "/api/v1/banks" -> only(method, "GET", () -> {
                    var banks = BankDocument.of(backend());
                    Http.json(request, response, 200, json -> json.writeObject(banks));
                });
                case "/api/v1/openapi.json" -> only(method, "GET", () -> openApi(request, response));
                case "/api/v1/alarms" -> only(method, "GET", () -> AlarmRoutes.list(alarms(), request, response, config.rows_max()));
                case "/api/v1/alarms/{name}" -> only(method, "GET",
                        () -> AlarmRoutes.get(alarms(), alarmName(path.substring("/alarms/".length())), request, response));
                default -> {
                    if (route.startsWith("/api/v1/alarms/{name}/")) {
                        String rest = path.substring("/alarms/".length());
                        String action = route.substring(route.lastIndexOf('/') + 1);
                        String name = alarmName(rest.substring(0, rest.length() - action.length() - 1));
                        JsonNode body = Http.body(request, config.body_max());
                        AlarmRoutes.act(alarms(), name, action, body, request, response);
                    } else {
                        throw new NexusException(ErrorCode.NOT_FOUND, "no route " + method + " " + request.getRequestURI()
                                + ": see GET /api/v1/openapi.json");
                    }
                }
            }
        } catch (NexusException e) {
            problem(response, e);
        } catch (MethodNotAllowed e) {
            response.setHeader("Allow", e.allowed);
            Problems.write(response, Http.JSON, 405, "METHOD_NOT_ALLOWED", "Method not allowed",
                    method + " is not allowed on " + route + ": use " + e.allowed);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            if (ContainerErrors.hungUp(e)) {
                throw e; // the client went away: ContainerErrors notes it
            }
            LOG.error("{} {} failed", method, request.getRequestURI(), e);
            problem(response, ErrorCode.INTERNAL, "the request failed unexpectedly; the log has the details");
        } finally {
            metrics.request(route, method, response.getStatus(), System.nanoTime() - started);
        }
    }

    /** @return the route template a request belongs to, for routing and metrics */
    static String route(String method, String path) {
        if (path.startsWith("/tags/") && path.length() > "/tags/".length()) {
            return "/api/v1/tags/{path}";
        }
        if (path.startsWith("/alarms/") && path.length() > "/alarms/".length()) {
            String action = AlarmRoutes.action(method, path.substring("/alarms/".length()));
            return action == null ? "/api/v1/alarms/{name}" : "/api/v1/alarms/{name}/" + action;
        }
        return switch (path) {
            case "/query", "/explain", "/tags", "/banks", "/openapi.json", "/alarms" -> "/api/v1" + path;
            default -> "/api/v1/unknown";
        };
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

    private void query(HttpServletRequest request, HttpServletResponse response, String method) throws IOException {
        QueryRequest query;
        if (method.equals("POST")) {
            query = QueryRequest.of(Http.body(request, config.body_max()));
        } else if (method.equals("GET")) {
            String sql = request.getParameter("sql");
            if (sql == null) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the query needs ?sql=: a SELECT statement");
            }
            query = new QueryRequest(sql, Http.number(request, "limit", QueryRequest.NO_LIMIT), List.of());
        } else {
            throw new MethodNotAllowed("GET, POST");
        }
        // No limit: this API's most rows; limit 0: no rows, only the columns (and truncated when any matched).
        int rows = query.limit() == QueryRequest.NO_LIMIT ? config.rows_max() : Math.min(query.limit(), config.rows_max());
        QueryResult result = queries().select(query.sql(), new QueryOptions(rows, config.query_timeout(), query.params()));
        metrics.query(result.rows().size(), result.stats().blocks(), result.stats().bytesRead());
        Http.json(request, response, 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("columns");
            for (String column : result.columns()) {
                json.writeString(column);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("rows");
            for (QueryResult.Row row : result.rows()) {
                json.writeStartObject();
                for (int c = 0; c < result.columns().size(); c++) {
                    json.writeFieldName(result.columns().get(c));
                    TagJson.scalar(json, row.cells().get(c));
                }
                if (row.tag() != null) {
                    TagJson.value(json, row.tag());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeBooleanField("truncated", result.truncated());
            json.writeNumberField("registryVersion", result.registryVersion());
            json.writeObjectField("stats", result.stats());
            json.writeEndObject();
        });
    }

    private void explain(HttpServletRequest request, HttpServletResponse response) throws IOException {
        QueryRequest query = QueryRequest.of(Http.body(request, config.body_max()));
        ReadPlan plan = queries().explain(query.sql(), new QueryOptions(QueryOptions.DEFAULT_LIMIT, config.query_timeout(),
                query.params()));
        Http.json(request, response, 200, json -> json.writeObject(plan));
    }

    private void tag(HttpServletRequest request, HttpServletResponse response, String method, String path) throws IOException {
        if (path.isEmpty() || path.endsWith("/") || path.contains("//")) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "'" + path + "' is not a tag path: segments separated by"
                    + " single slashes, e.g. plant1/line2/tt101");
        }
        Registry current = registry().current();
        switch (method) {
            case "GET" -> {
                Tag tag = current.tag(path).orElseThrow(() -> notFound(path));
                TagValue value = queries().read(List.of(tag.allocation())).get(0);
                Http.json(request, response, 200, json -> TagJson.tag(json, tag, bankName(current, tag), tag.properties(), value));
            }
            case "PUT" -> {
                registry().writesRefused().ifPresent(why -> {
                    throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, why);
                });
                JsonNode body = Http.body(request, config.body_max());
                Http.onlyFields(body, java.util.Set.of("value"), "value");
                if (!body.has("value")) {
                    throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body needs \"value\": the value to write");
                }
                Tag tag = current.tag(path).orElseThrow(() -> notFound(path));
                if (!tag.writable()) {
                    throw new NexusException(ErrorCode.NOT_WRITABLE, "tag " + path + " is not writable");
                }
                Object value = WriteRules.checked(tag, TagJson.javaValue(body.get("value")));
                RmaBackend memory = backend();
                memory.write(tag.allocation(), value);
                TagValue written = queries().read(List.of(tag.allocation())).get(0);
                LOG.info("{} written through the HTTP API: {}", path, body.get("value"));
                Http.json(request, response, 200, json -> TagJson.tag(json, tag, bankName(current, tag), tag.properties(), written));
            }
            default -> throw new MethodNotAllowed("GET, PUT");
        }
    }

    private void listTags(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String prefix = request.getParameter("prefix") == null ? "" : request.getParameter("prefix");
        int max = config.tags_max();
        int limit = Math.min(Http.number(request, "limit", max), max);
        Registry current = registry().current();
        List<Tag> tags = new ArrayList<>(current.tags(prefix, null, limit + 1));
        boolean truncated = tags.size() > limit;
        if (truncated) {
            tags.remove(limit);
        }
        List<String> banks = tags.stream().map(tag -> bankName(current, tag)).toList();
        List<TagValue> values = queries().read(tags.stream().map(Tag::allocation).toList());
        boolean more = truncated;
        Http.json(request, response, 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("tags");
            for (int i = 0; i < tags.size(); i++) {
                TagJson.tag(json, tags.get(i), banks.get(i), null, values.get(i));
            }
            json.writeEndArray();
            json.writeBooleanField("truncated", more);
            json.writeNumberField("registryVersion", current.version());
            json.writeEndObject();
        });
    }

    private void openApi(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (InputStream in = ApiServlet.class.getResourceAsStream("/nexus/api/http/openapi.json")) {
            JsonNode document = Http.JSON.readTree(in);
            Http.json(request, response, 200, json -> json.writeTree(document));
        }
    }

    private static String alarmName(String name) {
        if (name.isEmpty() || name.endsWith("/") || name.contains("//")) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' is not an alarm name: alarm names keep"
                    + " their slashes, e.g. /api/v1/alarms/plant1/line1/tt101/hi");
        }
        return name;
    }

    private static String bankName(Registry registry, Tag tag) {
        int bank = tag.allocation().bank();
        return bank < registry.banks().size() ? registry.banks().get(bank).name() : String.valueOf(bank);
    }

    private static NexusException notFound(String path) {
        return new NexusException(ErrorCode.TAG_NOT_FOUND, "no tag has the path " + path);
    }

    private static void problem(HttpServletResponse response, ErrorCode code, String detail) throws IOException {
        if (response.isCommitted()) {
            return; // the answer is already streaming: nothing sane can be added
        }
        response.reset();
        Problems.write(response, Http.JSON, code, detail);
    }

    private static void problem(HttpServletResponse response, NexusException e) throws IOException {
        if (response.isCommitted()) {
            return; // the answer is already streaming: nothing sane can be added
        }
        response.reset();
        Problems.write(response, Http.JSON, e);
    }

    private QueryService queries() {
        QueryService current = queries;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the query service is not running; see GET /health");
        }
        return current;
    }

    private TagRegistry registry() {
        TagRegistry current = registry;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the registry service is not running; see GET /health");
        }
        return current;
    }

    private AlarmService alarms() {
        AlarmService current = alarms;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the alarm manager is not running; see GET /health");
        }
        return current;
    }

    private RmaBackend backend() {
        RmaBackend current = backend;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no RMA backend is registered; see GET /health");
        }
        return current;
    }

    /** A route exists but not for this method. */
    private static final class MethodNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String allowed;

        MethodNotAllowed(String allowed) {
            super(null, null, false, false);
            this.allowed = allowed;
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }

    private static void only(String method, String allowed, Action action) throws IOException {
        if (!method.equals(allowed)) {
            throw new MethodNotAllowed(allowed);
        }
        action.run();
    }
}
