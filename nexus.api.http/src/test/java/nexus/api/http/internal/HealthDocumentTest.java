package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.HealthReport;

class HealthDocumentTest {

    @Test
    void rendersTheDocumentedShape() throws Exception {
        HealthIndicator framework = HealthIndicator.of("framework", true, () -> Health.up("25 platform bundles active"));

        String json = new ObjectMapper().writeValueAsString(HealthDocument.of(HealthReport.of(List.of(framework))));

        assertThat(json).isEqualTo("{\"status\":\"UP\",\"components\":{\"framework\":"
                + "{\"status\":\"UP\",\"detail\":\"25 platform bundles active\",\"required\":true}}}");
    }
}
