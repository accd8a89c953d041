package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import nexus.core.NexusException;

/** The tag resources' URIs: paths percent-encoded as URI paths, and decoded back. */
class BrowseTest {

    @Test
    void pathsBecomeUriPathsAndBack() {
        for (String path : new String[] {"site1/area 1/tank#2", "plant/größe/ä", "a/b?c/%41", "x/𝄞/y", "p/(1)/a:b@c"}) {
            String uri = Browse.encode(path);
            assertThat(uri).doesNotContain(" ").doesNotContain("#").doesNotContain("?").matches("[\\x21-\\x7e]+");
            assertThat(Browse.decode(uri)).isEqualTo(path);
        }
        assertThat(Browse.encode("site1/area1/line1")).isEqualTo("site1/area1/line1");
        assertThat(Browse.decode("caf%C3%A9/x")).isEqualTo("café/x");
        assertThat(Browse.decode("café/x")).as("an IRI as sent").isEqualTo("café/x");
    }

    @Test
    void aBrokenEscapeIsRefusedNamingWhere() {
        for (String bad : new String[] {"a/%4", "a/%zz", "%"}) {
            assertThatThrownBy(() -> Browse.decode(bad)).isInstanceOf(NexusException.class).hasMessageContaining("%-escape");
        }
    }
}
