package nexus.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.core.NexusException;
import nexus.sparkplug.SparkplugService;
import nexus.sparkplug.SparkplugStatus;

class SparkplugCommandsTest {

    /** Answers a fixed status and records rebirths. */
    static final class FixedSparkplug implements SparkplugService {
        SparkplugStatus status;
        int rebirths;

        @Override
        public SparkplugStatus status() {
            return status;
        }

        @Override
        public String rebirth() {
            rebirths++;
            return "NBIRTH published: bdSeq 3, 10005 metrics";
        }
    }

    private final FixedSparkplug service = new FixedSparkplug();

    @Test
    void printsTheBrokerTheEdgeAndTheCounters() {
        service.status = new SparkplugStatus(
                new SparkplugStatus.Broker("tcp://10.0.0.5:1883", "nexus-plant-nexus1", true,
                        Instant.parse("2026-12-06T15:04:17Z"), null),
                new SparkplugStatus.Edge("plant", "nexus1", true, 3, 17, 10005, 1, Instant.parse("2026-12-06T15:04:18Z"),
                        "scada", true),
                new SparkplugStatus.Counts(5, 120, 2, 1, 3, 1, 0, 0));

        assertThat(new SparkplugCommands(service).sparkplug()).isEqualTo("""
                broker            tcp://10.0.0.5:1883 (client nexus-plant-nexus1)
                connected         yes, since 2026-12-06 15:04:17Z
                edge              plant/nexus1
                born              yes
                bdSeq             3
                seq               17
                metrics           10005
                registry version  1
                last birth        2026-12-06 15:04:18Z
                primary host      scada (online)
                messages in/out   5 / 120
                births            2
                rebirth requests  1
                writes            3 (1 refused)
                malformed         0
                dropped           0
                """);
    }

    @Test
    void printsTheProblemWhileNotConnected() {
        service.status = new SparkplugStatus(
                new SparkplugStatus.Broker("tcp://10.0.0.5:1883", "c", false, Instant.parse("2026-12-06T15:05:00Z"),
                        "not authorized to connect (Paho reason 5)"),
                new SparkplugStatus.Edge("plant", "nexus1", false, 4, 0, 0, 0, null, null, true),
                new SparkplugStatus.Counts(0, 0, 0, 0, 0, 0, 0, 2));

        assertThat(new SparkplugCommands(service).sparkplug()).contains("connected         no, lost 2026-12-06 15:05:00Z\n")
                .contains("problem           not authorized to connect (Paho reason 5)\n")
                .contains("last birth        never\n").contains("primary host      none (birth at once)\n");
    }

    @Test
    void aHostListsTheEdgeNodesItMirrors() {
        service.status = new SparkplugStatus(
                new SparkplugStatus.Broker("tcp://10.0.0.5:1883", "nexus-host-scada", true, null, null), null,
                new SparkplugStatus.Counts(5, 2, 0, 0, 0, 0, 0, 0, 3, 1, 0, 0),
                new SparkplugStatus.Host("scada", true, List.of(
                        new SparkplugStatus.RemoteNodeStatus("plant", "edge1", true, false, 2,
                                Instant.parse("2026-12-06T15:04:18Z"), 10551, 2, 0, "sp-1", 3, 1),
                        new SparkplugStatus.RemoteNodeStatus("plant", "edge2", false, true, 0, null, 0, 0, 3, null))));

        String text = new SparkplugCommands(service).sparkplug();

        assertThat(text).containsPattern("host +scada \\(STATE online\\)\n").containsPattern("gaps / rebirths asked +3 / 1")
                .containsPattern("plant/edge1 +online +current +2 +2026-12-06 15:04:18Z +10551 \\(\\+2 skipped\\) +0 +sp-1"
                        + " +3 \\(1 STALE\\)\n")
                .containsPattern("plant/edge2 +offline +STALE +0 +never +0 +3");
    }

    @Test
    void rebirthAsksTheService() {
        assertThat(new SparkplugCommands(service).sparkplug("rebirth")).isEqualTo("NBIRTH published: bdSeq 3, 10005 metrics");
        assertThat(service.rebirths).isEqualTo(1);
        assertThatThrownBy(() -> new SparkplugCommands(service).sparkplug("reboot")).isInstanceOf(NexusException.class)
                .hasMessageContaining("sparkplug rebirth");
    }

    @Test
    void saysHowToConfigureItWithoutTheService() {
        assertThat(new SparkplugCommands(null).sparkplug())
                .isEqualTo("Sparkplug is not configured: write etc/nexus.sparkplug.cfg (docs/federation.md)");
        assertThat(new SparkplugCommands(null).sparkplug("rebirth")).startsWith("Sparkplug is not configured");
    }
}
