package nexus.api.http.internal;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
        QueryFormat format = QueryFormat.of(request, exchange.response());
        if (format == null) {
            return;
        }
        String sql = request.getParameter("sql");
        if (sql == null) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the query needs ?sql=: a SELECT statement");
        }
        run(api, format, new QueryRequest(sql, Http.number(request, "limit", QueryRequest.NO_LIMIT), List.of()),
                exchange.caller(), request, exchange.response());
    }

    static void query(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        QueryFormat format = QueryFormat.of(exchange.request(), exchange.response());
        if (format == null) {
            return; // the body is read away after the route
        }
        QueryRequest query = QueryRequest.of(Http.body(exchange.request(), api.config().body_max()));
        run(api, format, query, exchange.caller(), exchange.request(), exchange.response());
    }

    static void explain(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        QueryRequest query = QueryRequest.of(Http.body(exchange.request(), api.config().body_max()));
        ReadPlan plan = api.queries().explain(exchange.caller(), query.sql(), new QueryOptions(QueryOptions.DEFAULT_LIMIT,
                api.config().query_timeout(), query.params()));
        Http.json(exchange.request(), exchange.response(), 200, json -> json.writeObject(plan));
    }

    private static void run(ApiServlet api, QueryFormat format, QueryRequest query, nexus.core.Caller caller,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiConfig config = api.config();
        // No limit: this API's most rows; limit 0: no rows, only the columns (and truncated when any matched).
        int rows = query.limit() == QueryRequest.NO_LIMIT ? config.rows_max() : Math.min(query.limit(), config.rows_max());
        QueryResult result = api.queries().select(caller, query.sql(), new QueryOptions(rows, config.query_timeout(), query.params()));
        answer(request, response, format, result, api.rowFragments());
    }

    /**
     * Writes a result in the format asked.
     *
     * @param fragments the metadata texts of repeated rows answers ({@link RowFragments}), or null
     */
    static void answer(HttpServletRequest request, HttpServletResponse response, QueryFormat format, QueryResult result,
            RowFragments fragments) throws IOException {
        switch (format) {
            case ROWS -> Http.json(request, response, 200, json -> QueryAnswers.rows(json, result, fragments));
            case COLUMNS -> Http.json(request, response, 200, json -> QueryAnswers.columns(json, result));
            case CBOR -> Http.write(request, response, 200, format.mediaType(), Http.CBOR,
                    json -> QueryAnswers.rows(json, result));
        }
    }
}
