package nexus.api.http.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.alarm.AlarmAction;
import nexus.core.Access;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Permission;

/**
 * Every route of the HTTP API, declared once: method, path pattern, operation id, one-line summary,
 * the permission it needs and handler. {@link ApiServlet} dispatches from this table (and checks the
 * permission, unless the service behind the route decides it), {@link OpenApi} generates the
 * document's paths and their permissions from it, and the metrics label each request with its
 * route's pattern. The alarm action routes come from {@link AlarmAction#values()} (wire name,
 * summary, permission), so a new action is one change in the alarm contract.
 *
 * <p>A pattern is a literal path, or a literal prefix, one parameter in braces that takes the whole
 * rest of the path (slashes included), and an optional literal suffix: {@code /api/v1/tags/{path}},
 * {@code /api/v1/alarms/{name}:ack}. So an alarm name is everything between {@code /api/v1/alarms/}
 * and the last {@code :} of an action route (action names hold neither {@code :} nor {@code /}), and
 * the whole rest of the path for {@code GET /api/v1/alarms/{name}}. The first route in table order
 * that matches a request's method and path serves it: literal patterns that a parameter would also
 * take ({@code /api/v1/alarms/summary}) come before.
 */
final class ApiRoutes {

    /** Serves one route; {@link ApiServlet} turns what it throws into a problem. */
    @FunctionalInterface
    interface Handler {
        void handle(ApiServlet api, Exchange exchange) throws IOException;
    }

    /** One request on its way through a route: {@code param} is the pattern's parameter, or null. */
    record Exchange(HttpServletRequest request, HttpServletResponse response, String param) {

        /**
         * @return who the request is, as {@link AccessFilter} established it
         * @throws NexusException UNAUTHENTICATED when it did not (the filter is not in the chain): fail closed
         */
        Requester requester() {
            Requester requester = Requester.of(request);
            if (requester == null) {
                throw new NexusException(ErrorCode.UNAUTHENTICATED, "the request was not authenticated: send"
                        + " Authorization: Bearer <token>");
            }
            return requester;
        }

        /** @return the caller every service call of the request is made as */
        Caller caller() {
            return requester().caller();
        }

        /** @return what the caller may do now */
        Access access() {
            return requester().access();
        }
    }

    /**
     * One route.
     *
     * @param details        the key of the route's parameters, body and answers under {@code x-operations}
     *                       in openapi.json (the alarm actions share one)
     * @param permission     what the caller's roles must grant; null for any authenticated caller. For
     *                       {@code /health} it is what the whole document needs (the status needs none)
     * @param serviceDecides whether the service behind the route checks the permission itself and audits
     *                       a refusal (writes, alarm actions): then no one refuses in its stead, else
     *                       the route's servlet checks it before anything else
     * @param handler        how {@link ApiServlet} serves it; null for a route its own servlet serves
     *                       ({@code /health}, {@code /metrics}, {@link StreamServlet}, {@link SseServlet})
     */
    record Route(String method, String pattern, String operationId, String summary, String details, Permission permission,
            boolean serviceDecides, Handler handler) {

        /**
         * @return FORBIDDEN naming the permission when the route checks it and the access does not grant it
         */
        Optional<NexusException> refuse(Access access) {
            return permission == null || serviceDecides ? Optional.empty() : access.refuse(permission, toString());
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }

        /** @return the parameter this path gives the pattern ("" for a literal pattern), or null when it does not match */
        String param(String path) {
            int open = pattern.indexOf('{');
            if (open < 0) {
                return pattern.equals(path) ? "" : null;
            }
            String prefix = pattern.substring(0, open);
            String suffix = pattern.substring(pattern.indexOf('}') + 1);
            if (path.length() <= prefix.length() + suffix.length() || !path.startsWith(prefix) || !path.endsWith(suffix)) {
                return null;
            }
            return path.substring(prefix.length(), path.length() - suffix.length());
        }
    }

    /** A route a path matches, with the parameter it gives. */
    record Match(Route route, String param) {
    }

    /** The label of a request no route's pattern matches. */
    static final String UNKNOWN = "/api/v1/unknown";

    static final List<Route> ALL = table();

    private ApiRoutes() {
    }

    private static List<Route> table() {
        List<Route> routes = new ArrayList<>(List.of(
                own("GET", "/health", "health", "Health of every component", Permission.HEALTH),
                own("GET", "/metrics", "metrics", "Metrics in the Prometheus text format", Permission.METRICS),
                route("GET", "/api/v1/openapi.json", "openapi", "This document", null, OpenApi::serve),
                route("GET", "/api/v1/me", "me", "Who the caller is: user, roles, permissions, scopes", null, MeRoute::serve),
                route("GET", "/api/v1/query", "queryGet", "Run a SELECT (query string)", Permission.READ, QueryRoutes::queryGet),
                route("POST", "/api/v1/query", "query", "Run a SELECT", Permission.READ, QueryRoutes::query),
                route("POST", "/api/v1/explain", "explain", "The RMA reads a SELECT needs", Permission.READ, QueryRoutes::explain),
                route("POST", "/api/v1/find", "find", "Find tags by a structured filter (compiled to guarded SQL), with"
                        + " values", Permission.READ, FindRoutes::find),
                route("POST", "/api/v1/find/explain", "findExplain", "The SQL, parameters, read plan and live filter a find"
                        + " filter becomes", Permission.READ, FindRoutes::explain),
                route("GET", "/api/v1/find/schema", "findSchema", "The find filter's JSON Schema", Permission.READ,
                        FindRoutes::schema),
                route("GET", "/api/v1/browse", "browse", "One level of the tag namespace: the children of a path prefix,"
                        + " with how many tags each holds", Permission.READ, TagRoutes::browse),
                route("GET", "/api/v1/tags", "listTags", "Tags whose path starts with a prefix, with values, a page at a time",
                        Permission.READ, TagRoutes::list),
                decided("PUT", "/api/v1/tags", "putTags", "Write many tags' values, each checked and audited on its own",
                        Permission.WRITE, TagRoutes::writeMany),
                route("GET", "/api/v1/tags/{path}", "getTag", "One tag with its value", Permission.READ, TagRoutes::get),
                decided("PUT", "/api/v1/tags/{path}", "putTag", "Write a writable tag's value", Permission.WRITE,
                        TagRoutes::write),
                route("GET", "/api/v1/snapshot", "snapshot", "Every tag the caller reads with its value, streamed (JSON lines or CSV)",
                        Permission.READ, SnapshotRoutes::export),
                route("POST", "/api/v1/snapshot/restore", "restoreSnapshot",
                        "Restore a snapshot's values: a dry run's diff, then the checked writes", Permission.WRITE,
                        SnapshotRoutes::restore),
                route("GET", "/api/v1/banks", "banks", "The RMA banks", Permission.READ, BankDocument::serve),
                route("GET", "/api/v1/alarms", "listAlarms", "Alarms with their state and lifecycle, in name order",
                        Permission.READ, AlarmRoutes::list),
                route("GET", "/api/v1/alarms/summary", "alarmSummary", "Alarm KPIs: active, unacknowledged and shelved by"
                        + " severity, flood, chattering (an alarm named \"summary\" is read through GET /api/v1/alarms?prefix=summary)",
                        Permission.READ, AlarmSummaryRoute::serve),
                route("GET", "/api/v1/alarms/{name}", "getAlarm", "One alarm", Permission.READ, AlarmRoutes::get),
                own("GET", AccessFilter.STREAMS, "stream", "Live values and alarms over a WebSocket", Permission.READ),
                own("GET", SseServlet.PATTERN, "streamSse", "One subscription as Server-Sent Events", Permission.READ),
                route("POST", "/api/v1/stream/tickets", "streamTicket", "A single-use ticket that opens a stream from a browser",
                        Permission.READ, StreamTickets::issue)));
        for (AlarmAction action : AlarmAction.values()) {
            routes.add(new Route("POST", "/api/v1/alarms/{name}:" + action.wireName(), operationId(action),
                    capitalised(action.summary()), "alarmAction", action.permission(), true,
                    (api, exchange) -> AlarmRoutes.act(api, exchange, action)));
        }
        return List.copyOf(routes);
    }

    /** A route whose servlet checks its permission. */
    private static Route route(String method, String pattern, String operationId, String summary, Permission permission,
            Handler handler) {
        return new Route(method, pattern, operationId, summary, operationId, permission, false, handler);
    }

    /** A route whose service checks its permission, and audits a refusal. */
    private static Route decided(String method, String pattern, String operationId, String summary, Permission permission,
            Handler handler) {
        return new Route(method, pattern, operationId, summary, operationId, permission, true, handler);
    }

    /** A route its own servlet serves and checks. */
    private static Route own(String method, String pattern, String operationId, String summary, Permission permission) {
        return new Route(method, pattern, operationId, summary, operationId, permission, false, null);
    }

    /** @return the route its own servlet serves at this path ({@code /health}, {@code /metrics}, the streams) */
    static Route own(String pattern) {
        return ALL.stream().filter(r -> r.handler() == null && r.pattern().equals(pattern)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no route of its own at " + pattern));
    }

    /** @return e.g. {@code acknowledgeAlarm}, {@code removeFromServiceAlarm} */
    static String operationId(AlarmAction action) {
        StringBuilder id = new StringBuilder();
        for (String word : action.name().toLowerCase(Locale.ROOT).split("_")) {
            id.append(id.length() == 0 ? word : capitalised(word));
        }
        return id.append("Alarm").toString();
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /**
     * @param path the request's path from {@code /api/v1} on
     * @return the routes {@link ApiServlet} serves whose pattern matches the path, whatever their method, in table order
     */
    static List<Match> matches(String path) {
        List<Match> matches = new ArrayList<>();
        for (Route route : ALL) {
            String param = route.handler() == null ? null : route.param(path);
            if (param != null) {
                matches.add(new Match(route, param));
            }
        }
        return matches;
    }

    /** @return the route that serves this method on this path, or null */
    static Match dispatch(String method, String path) {
        return serving(method, matches(path));
    }

    /** @return the first of the matches for this method, or null */
    static Match serving(String method, List<Match> matches) {
        return matches.stream().filter(m -> m.route().method().equals(method)).findFirst().orElse(null);
    }

    /** @return the metrics label of a request: its route's pattern, else the first pattern of its path, else {@link #UNKNOWN} */
    static String label(String method, String path) {
        Match match = dispatch(method, path);
        if (match != null) {
            return match.route().pattern();
        }
        List<Match> any = matches(path);
        return any.isEmpty() ? UNKNOWN : any.get(0).route().pattern();
    }

    /** @return the methods served on this path, for {@code Allow}, e.g. {@code GET, PUT} */
    static String allowed(List<Match> matches) {
        return String.join(", ", matches.stream().map(m -> m.route().method()).distinct().toList());
    }
}
