package nexus.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.HealthReport;

class HealthTextTest {

    private static HealthIndicator indicator(String name, boolean required, Health health) {
        return HealthIndicator.of(name, required, () -> health);
    }

    @Test
    void alignsComponentsAndMarksOptionalOnes() {
        String text = HealthText.render(HealthReport.of(List.of(
                indicator("framework", true, Health.up("25 platform bundles active")),
                indicator("deploy", false, Health.down("1 of 1 deployed bundles are not active")))));

        assertThat(text).isEqualTo("""
                RMA Nexus is UP
                  deploy     DOWN  (optional) 1 of 1 deployed bundles are not active
                  framework  UP    25 platform bundles active
                """);
    }

    @Test
    void saysWhenNothingReports() {
        assertThat(HealthText.render(HealthReport.of(List.of())))
                .isEqualTo("RMA Nexus is DOWN\n  no component reports its health\n");
    }
}
