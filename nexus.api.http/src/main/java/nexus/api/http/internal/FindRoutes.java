package nexus.api.http.internal;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.json.FindJson;
import nexus.query.FindFilter;
import nexus.query.FindPlan;
import nexus.query.FindResult;

/**
 * {@code POST /api/v1/find}, {@code POST /api/v1/find/explain} (body: the filter, read by
 * {@link FindJson}) and {@code GET /api/v1/find/schema}. They translate; the find service decides.
 * This API's {@code rows.max} lowers a filter's {@code limit}, as it caps a query's rows.
 */
final class FindRoutes {

    /** The schema, parsed once: it does not change while the bundle runs. */
    private static final JsonNode SCHEMA = schema();

    private FindRoutes() {
    }

    static void find(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        FindResult result = api.finds().find(exchange.caller(), filter(api, exchange));
        Http.json(exchange.request(), exchange.response(), 200, json -> FindJson.result(json, result));
    }

    static void explain(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        FindPlan plan = api.finds().explain(exchange.caller(), filter(api, exchange));
        Http.json(exchange.request(), exchange.response(), 200, json -> FindJson.plan(json, plan));
    }

    static void schema(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        Http.json(exchange.request(), exchange.response(), 200, json -> json.writeTree(SCHEMA));
    }

    private static FindFilter filter(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        FindFilter filter = FindJson.parse(Http.body(exchange.request(), api.config().body_max()));
        int most = Math.max(1, api.config().rows_max());
        return filter.limit() > most ? filter.withLimit(most) : filter;
    }

    private static JsonNode schema() {
        try {
            return Http.JSON.readTree(FindJson.schema());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the find filter's schema cannot be read", e);
        }
    }
}
