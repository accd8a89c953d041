package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The OpenAPI document and the routes served are the same list. */
class OpenApiTest {

    @Test
    void everyDocumentedRouteIsServedAndEveryServedRouteDocumented() throws Exception {
        JsonNode document;
        try (InputStream in = OpenApiTest.class.getResourceAsStream("/nexus/api/http/openapi.json")) {
            document = Http.JSON.readTree(in);
        }
        List<String> documented = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (List.of("get", "put", "post", "delete", "patch").contains(method)) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));

        assertThat(documented).containsExactlyInAnyOrderElementsOf(Routes.ALL.stream().map(Routes.Route::toString).toList());
        assertThat(document.path("openapi").asText()).startsWith("3.");
    }

    @Test
    void theRouterKnowsEveryApiRoute() {
        for (Routes.Route route : Routes.ALL) {
            if (route.path().startsWith("/api/v1/")) {
                String sample = route.path().replace("{path}", "plant1/line2/tt101")
                        .replace("{name}", "plant1/line2/tt101/hi").substring("/api/v1".length());
                assertThat(ApiServlet.route(route.method(), sample)).as(route.toString()).isEqualTo(route.path());
            }
        }
        assertThat(ApiServlet.route("GET", "/nothing")).isEqualTo("/api/v1/unknown");
        assertThat(ApiServlet.route("GET", "/alarms/plant1/x/ack")).as("an alarm named .../ack")
                .isEqualTo("/api/v1/alarms/{name}");
        assertThat(ApiServlet.route("POST", "/alarms/ack")).as("an alarm named ack, not an action on nothing")
                .isEqualTo("/api/v1/alarms/{name}");
    }
}
