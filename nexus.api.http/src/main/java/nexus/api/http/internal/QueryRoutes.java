package nexus.api.http.internal;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.json.NexusJson;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.ReadPlan;

/** {@code /api/v1/query} (GET with {@code ?sql=}, POST with a body) and {@code POST /api/v1/explain}. */
final class QueryRoutes {

    private QueryRoutes() {
    }

    static void queryGet(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        HttpServletRequest request = exchange.request();
        String sql = request.getParameter("sql");
        if (sql == null) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the query needs ?sql=: a SELECT statement");
        }
        run(api, new QueryRequest(sql, Http.number(request, "limit", QueryRequest.NO_LIMIT), List.of()), exchange.caller(),
                request, exchange.response());
    }

    static void query(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        QueryRequest query = QueryRequest.of(Http.body(exchange.request(), api.config().body_max()));
        run(api, query, exchange.caller(), exchange.request(), exchange.response());
    }

    static void explain(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        QueryRequest query = QueryRequest.of(Http.body(exchange.request(), api.config().body_max()));
        ReadPlan plan = api.queries().explain(exchange.caller(), query.sql(), new QueryOptions(QueryOptions.DEFAULT_LIMIT,
                api.config().query_timeout(), query.params()));
        Http.json(exchange.request(), exchange.response(), 200, json -> json.writeObject(plan));
    }

    private static void run(ApiServlet api, QueryRequest query, nexus.core.Caller caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        ApiConfig config = api.config();
        // No limit: this API's most rows; limit 0: no rows, only the columns (and truncated when any matched).
        int rows = query.limit() == QueryRequest.NO_LIMIT ? config.rows_max() : Math.min(query.limit(), config.rows_max());
        QueryResult result = api.queries().select(caller, query.sql(), new QueryOptions(rows, config.query_timeout(), query.params()));
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
                    NexusJson.scalar(json, row.cells().get(c));
                }
                if (row.tag() != null) {
                    NexusJson.value(json, row.tag());
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
}
