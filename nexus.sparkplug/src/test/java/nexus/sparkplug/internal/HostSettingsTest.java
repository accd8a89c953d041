package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

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
}
