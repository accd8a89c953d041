package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import nexus.alarm.AlarmAction;
import nexus.core.ErrorCode;
import nexus.query.Quality;

/** The OpenAPI document is generated from the route table: the same routes, nothing more. */
class OpenApiTest {

    private final JsonNode document = OpenApi.document();

    @Test
    void theDocumentListsExactlyTheRoutesOfTheTableInItsOrder() {
        List<String> documented = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            documented.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            ApiRoutes.Route route = ApiRoutes.ALL.stream()
                    .filter(r -> r.pattern().equals(path.getKey()) && r.method().equalsIgnoreCase(operation.getKey()))
                    .findFirst().orElseThrow();
            assertThat(operation.getValue().path("summary").asText()).isEqualTo(route.summary());
            assertThat(operation.getValue().path("operationId").asText()).isEqualTo(route.operationId());
            assertThat(operation.getValue().has("responses")).as(route.toString()).isTrue();
        }));

        assertThat(documented).containsExactlyElementsOf(ApiRoutes.ALL.stream().map(ApiRoutes.Route::toString).toList());
        assertThat(document.path("openapi").asText()).startsWith("3.");
        assertThat(document.has("x-operations")).isFalse();
    }

    @Test
    void everyOperationIdIsUniqueAndEveryDetailIsUsed() {
        assertThat(ApiRoutes.ALL.stream().map(ApiRoutes.Route::operationId)).doesNotHaveDuplicates();
        Set<String> details = new HashSet<>();
        OpenApi.resource().path("x-operations").fieldNames().forEachRemaining(details::add);
        assertThat(details).containsExactlyInAnyOrderElementsOf(
                ApiRoutes.ALL.stream().map(ApiRoutes.Route::details).distinct().toList());
    }

    @Test
    void everyPathParameterIsDeclared() {
        for (ApiRoutes.Route route : ApiRoutes.ALL) {
            JsonNode operation = document.path("paths").path(route.pattern()).path(route.method().toLowerCase(Locale.ROOT));
            int open = route.pattern().indexOf('{');
            if (open >= 0) {
                String name = route.pattern().substring(open + 1, route.pattern().indexOf('}'));
                List<String> declared = new ArrayList<>();
                operation.path("parameters").forEach(p -> {
                    if (p.path("in").asText().equals("path")) {
                        declared.add(p.path("name").asText());
                    }
                });
                assertThat(declared).as(route.toString()).containsExactly(name);
            }
        }
    }

    @Test
    void theAlarmActionRoutesAreTheContractsActions() {
        List<String> actions = ApiRoutes.ALL.stream().map(ApiRoutes.Route::pattern)
                .filter(p -> p.startsWith("/api/v1/alarms/{name}:")).toList();

        assertThat(actions).containsExactlyElementsOf(Arrays.stream(AlarmAction.values())
                .map(a -> "/api/v1/alarms/{name}:" + a.wireName()).toList());
        assertThat(document.path("paths").path("/api/v1/alarms/{name}:remove-from-service").path("post")
                .path("operationId").asText()).isEqualTo("removeFromServiceAlarm");
        assertThat(document.path("paths").path("/api/v1/alarms/{name}:ack").path("post").path("summary").asText())
                .isEqualTo("Acknowledges the alarm");
    }

    @Test
    void everyOperationNamesThePermissionOfItsRouteAndTheAnswersOfAuthentication() {
        for (ApiRoutes.Route route : ApiRoutes.ALL) {
            JsonNode operation = document.path("paths").path(route.pattern()).path(route.method().toLowerCase(Locale.ROOT));
            assertThat(operation.path("x-permission").asText(null)).as(route.toString())
                    .isEqualTo(route.permission() == null ? null : route.permission().wireName());
            assertThat(operation.path("responses").has("401")).as(route.toString()).isTrue();
            assertThat(operation.path("responses").has("429")).as(route.toString()).isTrue();
        }
        assertThat(document.path("paths").path("/api/v1/alarms/{name}:shelve").path("post").path("x-permission").asText())
                .isEqualTo("shelve");
        assertThat(document.path("paths").path("/health").path("get").path("security").toString())
                .isEqualTo("[{},{\"bearer\":[]}]");
        assertThat(document.path("security").toString()).isEqualTo("[{\"bearer\":[]}]");
        assertThat(document.path("components").path("securitySchemes").path("bearer").path("scheme").asText())
                .isEqualTo("bearer");
    }

    @Test
    void theAlarmSchemaSaysEveryQualityAnAlarmsTagCanHave() {
        JsonNode alarm = document.path("components").path("schemas").path("Alarm").path("properties");
        List<String> qualities = new ArrayList<>();
        alarm.path("quality").path("enum").forEach(q -> qualities.add(q.asText()));

        assertThat(qualities).containsExactlyInAnyOrderElementsOf(Arrays.stream(Quality.values()).map(Enum::name).toList());
        assertThat(alarm.path("qualityDetail").path("nullable").asBoolean()).isTrue();
    }

    /** Request bodies and the schemas they refer to; an answer may name a user ({@code GET /api/v1/me}). */
    @Test
    void noBodyTakesAUser() {
        ObjectNode resource = OpenApi.resource();
        List<String> bodies = new ArrayList<>();
        resource.path("x-operations").forEach(operation -> {
            JsonNode body = operation.path("requestBody");
            if (!body.isMissingNode()) {
                bodies.add(body.toString());
                body.findValuesAsText("$ref").forEach(ref -> bodies.add(resource.path("components").path("schemas")
                        .path(ref.substring(ref.lastIndexOf('/') + 1)).toString()));
            }
        });
        assertThat(bodies).hasSizeGreaterThan(5).allSatisfy(body -> assertThat(body).doesNotContain("\"user\":{"));
    }

    @Test
    void theProblemSchemaNamesEveryErrorCode() {
        List<String> codes = new ArrayList<>();
        document.path("components").path("schemas").path("Problem").path("properties").path("code").path("enum")
                .forEach(code -> codes.add(code.asText()));

        assertThat(codes).containsAll(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    }

    @Test
    void aRouteWithoutDetailsCannotBeDocumented() {
        ObjectNode resource = OpenApi.resource();
        ((ObjectNode) resource.get("x-operations")).remove("banks");

        assertThatThrownBy(() -> OpenApi.generate(resource, ApiRoutes.ALL)).isInstanceOf(IllegalStateException.class)
                .hasMessage("openapi.json has no x-operations.banks for GET /api/v1/banks");
    }

    @Test
    void theStreamsNeedReadAndDescribeTheirMessages() {
        for (String path : List.of("/api/v1/stream", "/api/v1/stream/sse")) {
            JsonNode operation = document.path("paths").path(path).path("get");
            assertThat(operation.path("x-permission").asText()).as(path).isEqualTo("read");
            assertThat(operation.has("security")).as(path + ": never without credentials").isFalse();
            assertThat(operation.path("description").asText()).as(path)
                    .contains("docs/streams.md", "subscribe", "unsubscribe", "ping", "data", "tags", "alarms", "alarm",
                            "heartbeat", "unsubscribed", "pong", "error");
            assertThat(operation.path("responses").path("503").path("$ref").asText()).isEqualTo("#/components/responses/StreamsFull");
        }
        assertThat(document.path("paths").path("/api/v1/stream").path("get").path("responses").has("426")).isTrue();
    }
}
