package nexus.api.http.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The body of {@code POST /api/v1/query} and {@code /api/v1/explain}: {@code sql}, optional
 * {@code limit}, optional {@code params}. The params are translated from JSON as JSON types them
 * (string → text, whole number → integer, other number → exact decimal, true/false, null); objects
 * and arrays are passed on as such, for the query service to refuse naming their index.
 */
record QueryRequest(String sql, int limit, List<Object> params) {

    /** {@code limit} when the request gives none (a given limit is 0 or more; 0 asks for no rows). */
    static final int NO_LIMIT = -1;

    private static final java.util.Set<String> FIELDS = java.util.Set.of("sql", "params", "limit");

    static QueryRequest of(JsonNode body) {
        Http.onlyFields(body, FIELDS, "sql, params and limit");
        JsonNode text = body.get("sql");
        if (text == null || !text.isTextual()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body needs \"sql\": a SELECT statement as a string");
        }
        return new QueryRequest(text.asText(), Http.number(body, "limit", NO_LIMIT), params(body.get("params")));
    }

    /** @return the values of {@code params}, in order; empty when absent or null */
    static List<Object> params(JsonNode params) {
        if (params == null || params.isNull()) {
            return List.of();
        }
        if (!params.isArray()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "\"params\" must be an array with one value per ? in the"
                    + " SQL, e.g. [\"site1/%\", 3], not " + (params.isObject() ? "an object" : params.toString()));
        }
        List<Object> values = new ArrayList<>(params.size());
        for (JsonNode value : params) {
            values.add(value.isObject() ? Map.of() : value.isArray() ? List.of() : TagJson.javaValue(value));
        }
        return values;
    }
}
