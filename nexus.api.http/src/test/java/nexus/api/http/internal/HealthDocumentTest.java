package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.HealthReport;
import nexus.core.HealthStatus;

/** What a caller without the health permission reads: the status, and why only when nobody can be admitted. */
class HealthDocumentTest {

    private static HealthReport report(HealthStatus security) {
        return new HealthReport(HealthStatus.DOWN, Map.of(
                "registry", new HealthReport.Component(HealthStatus.UP, "version 1: 10002 tags from /srv/registry.db", true),
                "security", new HealthReport.Component(security, "etc/nexus.security.role-x.cfg line 2: bad", true)));
    }

    @Test
    void theStatusAloneCarriesNoComponentDetailOrPath() {
        assertThat(HealthDocument.status(report(HealthStatus.UP))).isEqualTo(Map.of("status", "DOWN"));
    }

    @Test
    void whileAccessControlRefusesEveryRequestTheStatusSaysSoWithoutNamingAFile() {
        Map<String, Object> document = HealthDocument.status(report(HealthStatus.DOWN));

        assertThat(document).containsEntry("status", "DOWN").containsOnlyKeys("status", "reason");
        assertThat((String) document.get("reason")).startsWith("access control is DOWN and refuses every request")
                .doesNotContain("etc/").doesNotContain(".cfg").doesNotContain("/srv");
    }
}
