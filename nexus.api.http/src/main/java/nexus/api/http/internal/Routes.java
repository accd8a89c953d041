package nexus.api.http.internal;

import java.util.List;

/** Every route the API serves: the single list the OpenAPI document is checked against. */
final class Routes {

    record Route(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Route> ALL = List.of(
            new Route("GET", "/health"),
            new Route("GET", "/metrics"),
            new Route("GET", "/api/v1/openapi.json"),
            new Route("GET", "/api/v1/query"),
            new Route("POST", "/api/v1/query"),
            new Route("POST", "/api/v1/explain"),
            new Route("GET", "/api/v1/tags"),
            new Route("GET", "/api/v1/tags/{path}"),
            new Route("PUT", "/api/v1/tags/{path}"),
            new Route("GET", "/api/v1/banks"),
            new Route("GET", "/api/v1/alarms"),
            new Route("GET", "/api/v1/alarms/{name}"),
            new Route("POST", "/api/v1/alarms/{name}/ack"),
            new Route("POST", "/api/v1/alarms/{name}/shelve"),
            new Route("POST", "/api/v1/alarms/{name}/unshelve"),
            new Route("POST", "/api/v1/alarms/{name}/reset"),
            new Route("POST", "/api/v1/alarms/{name}/suppress"),
            new Route("POST", "/api/v1/alarms/{name}/unsuppress"),
            new Route("POST", "/api/v1/alarms/{name}/remove-from-service"),
            new Route("POST", "/api/v1/alarms/{name}/return-to-service"),
            new Route("POST", "/api/v1/alarms/{name}/disable"),
            new Route("POST", "/api/v1/alarms/{name}/enable"));

    private Routes() {
    }
}
