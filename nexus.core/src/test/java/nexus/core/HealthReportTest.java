package nexus.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class HealthReportTest {

    private static HealthIndicator indicator(String name, boolean required, Health health) {
        return HealthIndicator.of(name, required, () -> health);
    }

    @Test
    void isUpWhenEveryRequiredComponentIsUp() {
        HealthReport report = HealthReport.of(List.of(
                indicator("framework", true, Health.up("25 bundles active")),
                indicator("deploy", false, Health.down("1 bundle not active"))));

        assertThat(report.status()).isEqualTo(HealthStatus.UP);
        assertThat(report.components()).containsOnlyKeys("deploy", "framework");
        assertThat(report.components().get("deploy"))
                .isEqualTo(new HealthReport.Component(HealthStatus.DOWN, "1 bundle not active", false));
    }

    @Test
    void isDownWhenARequiredComponentIsDown() {
        HealthReport report = HealthReport.of(List.of(
                indicator("framework", true, Health.up("ok")),
                indicator("registry", true, Health.down("no registry file"))));

        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.isUp()).isFalse();
    }

    @Test
    void isDownWithNoIndicatorAtAll() {
        HealthReport report = HealthReport.of(List.of());

        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.components()).isEmpty();
    }

    @Test
    void reportsAThrowingIndicatorDownWithItsMessage() {
        HealthIndicator throwing = HealthIndicator.of("rma", true, () -> {
            throw new IllegalStateException("bank table unreadable");
        });

        HealthReport report = HealthReport.of(List.of(throwing));

        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.components().get("rma").detail()).isEqualTo("the health check failed: bank table unreadable");
    }

    @Test
    void reportsANullHealthDown() {
        HealthReport report = HealthReport.of(List.of(indicator("loki", false, null)));

        assertThat(report.components().get("loki").status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.components().get("loki").required()).isFalse();
    }

    @Test
    void keepsBothOfTwoIndicatorsWithTheSameName() {
        HealthReport report = HealthReport.of(List.of(
                indicator("sink", false, Health.up("a")),
                indicator("sink", false, Health.up("b")),
                indicator(" ", false, Health.up("c"))));

        assertThat(report.components()).containsOnlyKeys("sink", "sink#2", "unnamed");
    }

    @Test
    void sortsComponentsByName() {
        HealthReport report = HealthReport.of(List.of(
                indicator("zeta", true, Health.up("")),
                indicator("alpha", true, Health.up(""))));

        assertThat(report.components().keySet()).containsExactly("alpha", "zeta");
    }
}
