package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.NexusException;

class HostSettingsTest {

    @Test
    void pathsLiveUnderThePrefixGroupAndEdgeNode() {
        assertThat(new HostSettings("scada", List.of("plant"), "sites", 256).path("plant", "press1", "line/temp"))
                .isEqualTo("sites/plant/press1/line/temp");
        assertThat(new HostSettings("scada", List.of("plant"), "", 256).path("plant", "press1", "t"))
                .isEqualTo("plant/press1/t");
    }

    @Test
    void refusesWhatCannotWorkNamingTheKey() {
        assertThatThrownBy(() -> new HostSettings("a/b", List.of("plant"), "sites", 256))
                .isInstanceOf(NexusException.class).hasMessageContaining("host.id");
        assertThatThrownBy(() -> new HostSettings("scada", List.of(), "sites", 256))
                .isInstanceOf(NexusException.class).hasMessageContaining("host.groups");
        assertThatThrownBy(() -> new HostSettings("scada", List.of("pl+ant"), "sites", 256))
                .isInstanceOf(NexusException.class).hasMessageContaining("host.groups");
        assertThatThrownBy(() -> new HostSettings("scada", List.of("plant"), "/sites", 256))
                .isInstanceOf(NexusException.class).hasMessageContaining("host.prefix");
        assertThatThrownBy(() -> new HostSettings("scada", List.of("plant"), "sites", 0))
                .isInstanceOf(NexusException.class).hasMessageContaining("host.string.bytes");
    }

    @Test
    void aMirroredTagsPathGivesItsMetricName() {
        HostSettings settings = new HostSettings("scada", List.of("plant"), "sites", 256);

        assertThat(settings.metric("plant", "press1", "sites/plant/press1/line/temp")).isEqualTo("line/temp");
        assertThat(settings.metric("plant", "press1", "sites/plant/press2/line/temp")).isNull();
        assertThat(settings.metric("plant", "press1", "sites/plant/press1/")).isNull();
    }

    @Test
    void theWriteTimeoutIsConfiguredAndPositive() {
        Map<String, Object> properties = new HashMap<>(Map.of("roles", "host", "host.id", "scada", "host.groups", "plant"));
        assertThat(Settings.of(properties, null).host().writeTimeoutMs()).as("the default").isEqualTo(5000);
        properties.put("host.write.timeout.ms", "750");
        assertThat(Settings.of(properties, null).host().writeTimeoutMs()).isEqualTo(750);
        properties.put("host.write.timeout.ms", "0");
        assertThatThrownBy(() -> Settings.of(properties, null)).isInstanceOf(Settings.Refused.class)
                .hasMessageContaining("host.write.timeout.ms is 0");
        assertThatThrownBy(() -> new HostSettings("scada", List.of("plant"), "sites", 256, 0))
                .isInstanceOf(NexusException.class).hasMessageContaining("host.write.timeout.ms");
    }
}
