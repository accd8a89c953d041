package nexus.loki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;

class HostNameTest {

    @Test
    void theResolversNameComesFirst() {
        assertThat(HostName.first(List.of(() -> "plant-edge-7", () -> "other"))).isEqualTo("plant-edge-7");
    }

    @Test
    void aResolverThatFailsFallsBackToTheNextSourceStripped() {
        assertThat(HostName.first(List.of(() -> {
            throw new UnknownHostException("plant-edge-7: Name or service not known");
        }, () -> "plant-edge-7\n"))).isEqualTo("plant-edge-7");
    }

    @Test
    void aNameThatIsNoLabelValueIsSkipped() {
        assertThat(HostName.first(List.of(() -> "  ", () -> null, () -> "x".repeat(201), () -> "a\u0000b",
                () -> "line-7"))).isEqualTo("line-7");
    }

    @Test
    void withoutAnyNameTheNodeIsRmaNexus() {
        assertThat(HostName.first(List.of(() -> {
            throw new IOException("/etc/hostname: no such file");
        }, () -> null))).isEqualTo("rma-nexus");
    }
}
