package nexus.api.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI document, its paths generated from {@link ApiRoutes}.
 * The resource {@code openapi.json} holds what the table does not: the info, the schemas, and each
 * operation's parameters, body and answers under {@code x-operations}, keyed by
 * {@link ApiRoutes.Route#details()}. Each operation's summary, id and permission
 * ({@code x-permission}) come from the table, so the document lists exactly the routes the servlet
 * dispatches on, and what each needs.
 */
final class OpenApi {

    static final String RESOURCE = "/nexus/api/http/openapi.json";

    /** The name of the bearer security scheme in {@code components.securitySchemes}. */
    static final String SCHEME = "bearer";

    /** The document, built once: the table and the resource do not change while the bundle runs. */
    private static final JsonNode DOCUMENT = generate(resource(), ApiRoutes.ALL);

    private OpenApi() {
    }

    static JsonNode document() {
        return DOCUMENT;
    }

    static void serve(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        Http.json(exchange.request(), exchange.response(), 200, json -> json.writeTree(DOCUMENT));
    }

    /** @return the resource as it is, with {@code x-operations} and no paths */
    static ObjectNode resource() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the bundle");
            }
            return (ObjectNode) Http.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " cannot be read", e);
        }
    }

    /**
     * @throws IllegalStateException when a route has no operation details in the resource
     */
    static ObjectNode generate(ObjectNode resource, List<ApiRoutes.Route> routes) {
        JsonNode operations = resource.path("x-operations");
        ObjectNode paths = Http.JSON.createObjectNode();
        for (ApiRoutes.Route route : routes) {
            JsonNode details = operations.get(route.details());
            if (details == null || !details.isObject()) {
                throw new IllegalStateException("openapi.json has no x-operations." + route.details() + " for " + route);
            }
            ObjectNode operation = Http.JSON.createObjectNode();
            operation.put("summary", route.summary());
            operation.put("operationId", route.operationId());
            operation.setAll((ObjectNode) details.deepCopy());
            secure(operation, route);
            ObjectNode item = paths.has(route.pattern()) ? (ObjectNode) paths.get(route.pattern()) : paths.putObject(route.pattern());
            item.set(route.method().toLowerCase(Locale.ROOT), operation);
        }
        ObjectNode document = Http.JSON.createObjectNode();
        document.set("openapi", resource.get("openapi"));
        document.set("info", resource.get("info"));
        document.set("paths", paths);
        document.putArray("security").addObject().putArray(SCHEME);
        for (Iterator<Map.Entry<String, JsonNode>> fields = resource.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!document.has(field.getKey()) && !field.getKey().equals("x-operations")) {
                document.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return document;
    }

    /**
     * What the table says about access, added to an operation: {@code x-permission} (the
     * permission's wire name, absent for any authenticated caller), the 401 and 429 of
     * authentication and the 403 of a missing permission, unless the details answer them already.
     * {@code /health} and, when configured, {@code /metrics} also answer without credentials:
     * their security lists the empty requirement too.
     */
    private static void secure(ObjectNode operation, ApiRoutes.Route route) {
        if (route.permission() != null) {
            operation.put("x-permission", route.permission().wireName());
        }
        if (AccessFilter.mayAnswerWithout(route.pattern())) {
            ArrayNode security = operation.putArray("security");
            security.addObject();
            security.addObject().putArray(SCHEME);
        }
        ObjectNode responses = operation.has("responses") ? (ObjectNode) operation.get("responses")
                : operation.putObject("responses");
        responses.putIfAbsent("401", reference("Unauthenticated"));
        if (route.permission() != null) {
            responses.putIfAbsent("403", reference("Problem"));
        }
        responses.putIfAbsent("429", reference("TooManyFailures"));
    }

    private static ObjectNode reference(String response) {
        return Http.JSON.createObjectNode().put("$ref", "#/components/responses/" + response);
    }
}
