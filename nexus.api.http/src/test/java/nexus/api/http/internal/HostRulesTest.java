package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostRulesTest {

    private static final HostRules DEFAULT = new HostRules(new String[0], new String[0]);

    @Test
    void onLoopbackTheLoopbackNamesWithThePortAreServed() {
        for (String host : new String[] { "127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080", "127.0.0.2:8080" }) {
            assertThat(DEFAULT.refusal(host, null, "127.0.0.1", 8080)).as(host).isNull();
        }
        assertThat(DEFAULT.refusal("[::1]:8080", null, "0:0:0:0:0:0:0:1", 8080)).isNull();
        assertThat(DEFAULT.refusal("localhost:8080", null, "[0:0:0:0:0:0:0:1]", 8080)).isNull();
        assertThat(DEFAULT.refusal(null, null, "127.0.0.1", 8080)).as("HTTP/1.0 without Host: no browser").isNull();
    }

    @Test
    void anotherNameIsRefusedSayingWhatToDo() {
        assertThat(DEFAULT.refusal("evil.example:8080", null, "127.0.0.1", 8080)).isEqualTo("this node does not answer to"
                + " the name 'evil.example:8080' (Host header): a page from another site may be trying to reach it through"
                + " its own name (DNS rebinding). Use the node's address (http://127.0.0.1:8080), or add the name to"
                + " allowed.hosts in etc/nexus.api.http.cfg");
        assertThat(DEFAULT.refusal("127.0.0.1.nip.io:8080", null, "127.0.0.1", 8080)).isNotNull();
        assertThat(DEFAULT.refusal("localhost.:8080", null, "127.0.0.1", 8080)).isNotNull();
        assertThat(DEFAULT.refusal("localhost:9999", null, "127.0.0.1", 8080)).as("another port").isNotNull();
        assertThat(DEFAULT.refusal("localhost", null, "127.0.0.1", 8080)).as("no port is port 80").isNotNull();
        assertThat(DEFAULT.refusal("2130706433:8080", null, "127.0.0.1", 8080)).as("no lookups, no odd forms").isNotNull();
        assertThat(DEFAULT.refusal("::1", null, "127.0.0.1", 8080)).contains("is not a host name");
        assertThat(DEFAULT.refusal("a b", null, "127.0.0.1", 8080)).contains("is not a host name");
        assertThat(DEFAULT.refusal("", null, "127.0.0.1", 8080)).contains("is not a host name");
        assertThat(DEFAULT.refusal("x:0", null, "127.0.0.1", 8080)).contains("is not a host name");
        assertThat(DEFAULT.refusal("x".repeat(500), null, "127.0.0.1", 8080)).hasSizeLessThan(400);
    }

    @Test
    void onAnotherAddressOnlyThatAddressIsServed() {
        assertThat(DEFAULT.refusal("192.168.1.5:8080", null, "192.168.1.5", 8080)).isNull();
        assertThat(DEFAULT.refusal("localhost:8080", null, "192.168.1.5", 8080)).as("not on loopback").isNotNull();
        assertThat(DEFAULT.refusal("192.168.1.6:8080", null, "192.168.1.5", 8080)).isNotNull();
        assertThat(DEFAULT.refusal("plant-node:8080", null, "192.168.1.5", 8080)).contains("http://192.168.1.5:8080");
        assertThat(DEFAULT.refusal("[fe80::1]:8080", null, "fe80:0:0:0:0:0:0:1", 8080)).isNull();
    }

    @Test
    void configuredNamesAreServedOnAnyPortOrTheirOwn() {
        HostRules rules = new HostRules(new String[] { "plant-node", "proxy.example:443", " " }, new String[0]);

        assertThat(rules.refusal("plant-node:8080", null, "192.168.1.5", 8080)).isNull();
        assertThat(rules.refusal("PLANT-NODE", null, "192.168.1.5", 8080)).isNull();
        assertThat(rules.refusal("proxy.example:443", null, "127.0.0.1", 8080)).isNull();
        assertThat(rules.refusal("proxy.example", null, "127.0.0.1", 8080)).isNotNull();
        assertThat(new HostRules(new String[] { "*" }, new String[0]).refusal("anything:1", null, "127.0.0.1", 8080)).isNull();
    }

    @Test
    void originMustBeAbsentTheSameOrConfigured() {
        assertThat(DEFAULT.refusal("127.0.0.1:8080", "http://127.0.0.1:8080", "127.0.0.1", 8080)).isNull();
        assertThat(DEFAULT.refusal("localhost:8080", "http://LOCALHOST:8080", "127.0.0.1", 8080)).isNull();
        assertThat(DEFAULT.refusal("127.0.0.1:8080", "http://evil.example", "127.0.0.1", 8080)).isEqualTo("requests from"
                + " the page at http://evil.example (Origin header) are not allowed: only pages this node serves, and those"
                + " in allowed.origins in etc/nexus.api.http.cfg");
        assertThat(DEFAULT.refusal("127.0.0.1:8080", "http://localhost:8080", "127.0.0.1", 8080)).as("another origin")
                .isNotNull();
        assertThat(DEFAULT.refusal("127.0.0.1:8080", "https://127.0.0.1:8080", "127.0.0.1", 8080)).isNotNull();
        assertThat(DEFAULT.refusal("127.0.0.1:8080", "null", "127.0.0.1", 8080)).contains("'null'");
        assertThat(DEFAULT.refusal("127.0.0.1:8080", "file://", "127.0.0.1", 8080)).isNotNull();

        HostRules rules = new HostRules(new String[0], new String[] { "https://hmi.plant.example", "http://10.0.0.7:3000" });
        assertThat(rules.refusal("127.0.0.1:8080", "https://HMI.plant.example:443", "127.0.0.1", 8080)).isNull();
        assertThat(rules.refusal("127.0.0.1:8080", "http://10.0.0.7:3000", "127.0.0.1", 8080)).isNull();
        assertThat(rules.refusal("127.0.0.1:8080", "http://10.0.0.7:3001", "127.0.0.1", 8080)).isNotNull();
        assertThat(new HostRules(new String[0], new String[] { "*" }).refusal("127.0.0.1:8080", "http://x", "127.0.0.1", 8080))
                .isNull();
    }

    @Test
    void badConfigurationIsRefusedNamingTheEntry() {
        assertThatThrownBy(() -> new HostRules(new String[] { "a b" }, new String[0]))
                .hasMessage("allowed.hosts entry 'a b' is not a host name or name:port");
        assertThatThrownBy(() -> new HostRules(new String[0], new String[] { "hmi.plant.example" }))
                .hasMessageStartingWith("allowed.origins entry 'hmi.plant.example' is not an origin");
    }

    @Test
    void aForeignPageIsRefusedWithNoConfigurationAndTheNodesOwnPagesAreNot() {
        // A WebSocket upgrade or an EventSource from another site carries its page's Origin like any request.
        assertThat(DEFAULT.refusal("127.0.0.1:8080", "http://evil.example", "127.0.0.1", 8080))
                .startsWith("requests from the page at http://evil.example (Origin header) are not allowed");
        assertThat(DEFAULT.refusal("127.0.0.1:8080", "https://127.0.0.1:8080", "127.0.0.1", 8080)).as("another scheme")
                .isNotNull();
        assertThat(DEFAULT.refusal("127.0.0.1:8080", "null", "127.0.0.1", 8080)).as("a sandboxed frame").isNotNull();
        assertThat(DEFAULT.refusal("127.0.0.1:8080", "http://127.0.0.1:8080", "127.0.0.1", 8080)).isNull();
        assertThat(DEFAULT.refusal("localhost:8080", "http://localhost:8080", "127.0.0.1", 8080)).isNull();
    }
}
