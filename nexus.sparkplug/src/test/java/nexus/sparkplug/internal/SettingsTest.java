package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.query.Deadband;

class SettingsTest {

    @TempDir
    Path home;

    private final Map<String, Object> properties = new HashMap<>(Map.of("edge.node.id", "nexus1",
            "felix.fileinstall.filename", "file:/x/etc/nexus.sparkplug.cfg", "service.pid", "nexus.sparkplug",
            "component.name", "x", "tags.target", "(a=b)", "nexus.sink.name", "sparkplug"));

    private Settings settings() {
        return Settings.of(properties, home.toString());
    }

    private void refusedNaming(String key, Object value, String... more) {
        properties.put(key, value);
        assertThatThrownBy(this::settings).isInstanceOf(Settings.Refused.class).hasMessageContaining(key)
                .hasMessageContainingAll(more);
    }

    @Test
    void theDefaultsWithAnEdgeNodeIdMakeAWorkingEdge() {
        Settings settings = settings();

        assertThat(settings.brokerUrls()).containsExactly("tcp://127.0.0.1:1883");
        assertThat(settings.clientId()).isEqualTo("nexus-nexus-nexus1");
        assertThat(settings.qos()).isZero();
        assertThat(settings.username()).isNull();
        assertThat(settings.password()).isNull();
        assertThat(settings.socketFactory()).isNull();
        assertThat(settings.edge().groupId()).isEqualTo("nexus");
        assertThat(settings.edge().primaryHost()).isNull();
        assertThat(settings.edge().identity().user()).isEqualTo("sparkplug");
        assertThat(settings.edge().identity().roles()).containsExactly("viewer");
        assertThat(settings.edge().identity().source()).isEqualTo("sparkplug");
        assertThat(settings.edge().publishIntervalMs()).isEqualTo(100);
        assertThat(settings.edge().alarms()).isTrue();
    }

    @Test
    void readsValuesAsFileInstallGivesThemAsText() throws Exception {
        Files.writeString(home.resolve("broker.pw"), "s3cret\nignored\n");
        properties.putAll(Map.of("broker.urls", "tcp://a:1883, tcp://b:1884", "qos", "1", "username", "edge",
                "password.file", "broker.pw", "edge.roles", "operator, engineer,", "edge.primary.host", "scada",
                "edge.deadband.percent", "0.5", "edge.alarms", "false", "topic.prefix", "plant1/"));

        Settings settings = settings();

        assertThat(settings.brokerUrls()).containsExactly("tcp://a:1883", "tcp://b:1884");
        assertThat(settings.qos()).isEqualTo(1);
        assertThat(settings.edge().qos()).isEqualTo(1);
        assertThat(new String(settings.password())).isEqualTo("s3cret");
        assertThat(settings.edge().identity().roles()).containsExactly("engineer", "operator");
        assertThat(settings.edge().primaryHost()).isEqualTo("scada");
        assertThat(settings.edge().deadband()).isEqualTo(new Deadband(0, 0.5));
        assertThat(settings.edge().alarms()).isFalse();
        assertThat(settings.topicPrefix()).isEqualTo("plant1/");
    }

    @Test
    void refusesUnknownKeysNamingThem() {
        refusedNaming("brokr.urls", "tcp://x:1883", "unknown key", "broker.urls");
    }

    @Test
    void refusesBrokerUrlsThatAreNotTcpOrSsl() {
        refusedNaming("broker.urls", "ws://h:80", "tcp://");
        refusedNaming("broker.urls", "mqtt://h:1883", "tcp://");
        refusedNaming("broker.urls", "tcp://h:1883/path", "host");
        refusedNaming("broker.urls", " ", "empty");
    }

    @Test
    void refusesIdsSparkplugCannotCarry() {
        refusedNaming("group.id", "a/b", "'/'");
        refusedNaming("group.id", "", "empty");
        properties.put("group.id", "g");
        refusedNaming("edge.node.id", "n+1", "'+'");
        properties.put("edge.node.id", "n");
        refusedNaming("edge.primary.host", "host#", "'#'");
    }

    @Test
    void refusesQosOtherThanZeroOrOne() {
        refusedNaming("qos", 2, "0", "1");
        refusedNaming("qos", "one", "not a whole number");
    }

    @Test
    void refusesIntervalsThatAreNotPositive() {
        for (String key : new String[] { "keepalive.s", "reconnect.min.ms", "reconnect.max.ms", "edge.publish.interval.ms",
                "edge.command.max.age.ms", "edge.metrics.max" }) {
            Object before = properties.get(key);
            refusedNaming(key, "0", "positive");
            if (before == null) {
                properties.remove(key);
            }
        }
        properties.put("reconnect.min.ms", "5000");
        refusedNaming("reconnect.max.ms", "1000", "reconnect.min.ms");
    }

    @Test
    void refusesNegativeDeadbands() {
        refusedNaming("edge.deadband.absolute", "-1", "0");
        properties.remove("edge.deadband.absolute");
        refusedNaming("edge.deadband.percent", "101", "0 to 100");
        refusedNaming("edge.deadband.percent", "NaN", "0 to 100");
        refusedNaming("edge.deadband.percent", "x", "not a number");
    }

    @Test
    void refusesBothDeadbandsSayingToSetOne() {
        properties.put("edge.deadband.absolute", "0.5");
        refusedNaming("edge.deadband.percent", "2", "edge.deadband.absolute", "not both", "set one");

        properties.put("edge.deadband.percent", "0");
        assertThat(settings().edge().deadband()).isEqualTo(new Deadband(0.5, 0));
        properties.remove("edge.deadband.absolute");
        properties.put("edge.deadband.percent", "2");
        assertThat(settings().edge().deadband()).isEqualTo(new Deadband(0, 2));
    }

    @Test
    void refusesAFlagThatIsNotTrueOrFalse() {
        refusedNaming("edge.alarms", "yes", "true or false");
    }

    @Test
    void refusesAUserCallerWouldRefuse() {
        refusedNaming("edge.user", " ", "missing");
        refusedNaming("edge.user", "a\u0007b", "control");
    }

    @Test
    void refusesAMissingPasswordFileNamingIt() {
        properties.put("username", "edge");
        refusedNaming("password.file", "secrets/none.pw", "none.pw", "missing");
    }

    @Test
    void refusesAPasswordWithoutAUser() throws Exception {
        Files.writeString(home.resolve("broker.pw"), "pw\n");
        refusedNaming("password.file", "broker.pw", "username");
    }

    @Test
    void refusesAnEmptyPasswordFile() throws Exception {
        Files.writeString(home.resolve("broker.pw"), "\n");
        properties.put("username", "edge");
        refusedNaming("password.file", "broker.pw", "empty");
    }

    @Test
    void refusesATopicPrefixWithWildcardsOrWithoutSlash() {
        refusedNaming("topic.prefix", "plant/#/", "'#'");
        refusedNaming("topic.prefix", "plant1", "end with '/'");
    }

    @Test
    void buildsTlsFromPkcs12StoresRelativeToHome() throws Exception {
        writeStore(home.resolve("trust.p12"), "changeit");
        Files.writeString(home.resolve("tls.pw"), "changeit\n");
        properties.putAll(Map.of("broker.urls", "ssl://broker:8883", "tls.truststore", "trust.p12",
                "tls.password.file", "tls.pw"));

        assertThat(settings().socketFactory()).isNotNull();
    }

    @Test
    void refusesTlsStoresThatCannotBeRead() throws Exception {
        writeStore(home.resolve("trust.p12"), "changeit");
        Files.writeString(home.resolve("tls.pw"), "wrong\n");
        properties.putAll(Map.of("broker.urls", "ssl://broker:8883", "tls.password.file", "tls.pw"));

        refusedNaming("tls.truststore", "trust.p12", "trust.p12", "PKCS#12");
        refusedNaming("tls.truststore", "missing.p12", "missing.p12", "missing");
        properties.remove("tls.truststore");
        refusedNaming("tls.keystore", "missing.p12", "missing.p12");
    }

    @Test
    void refusesTlsStoresWithATcpUrl() throws Exception {
        writeStore(home.resolve("trust.p12"), "changeit");
        refusedNaming("tls.truststore", "trust.p12", "tcp://");
    }

    @Test
    void refusesATlsPasswordFileThatIsMissing() throws Exception {
        writeStore(home.resolve("trust.p12"), "changeit");
        properties.putAll(Map.of("broker.urls", "ssl://broker:8883", "tls.truststore", "trust.p12"));
        refusedNaming("tls.password.file", "none.pw", "none.pw");
    }

    private static void writeStore(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }

    @Test
    void aHostOnlyNodeNeedsNoEdgeNodeIdAndGetsItsOwnClientId() {
        properties.remove("edge.node.id");
        properties.put("roles", "host");
        properties.put("host.id", "scada");
        properties.put("host.groups", "plant, mill");

        Settings settings = settings();

        assertThat(settings.edge()).isNull();
        assertThat(settings.host().hostId()).isEqualTo("scada");
        assertThat(settings.host().groups()).containsExactly("plant", "mill");
        assertThat(settings.host().prefix()).isEqualTo("sites");
        assertThat(settings.clientId()).isEqualTo("nexus-host-scada");
        assertThat(settings.hostClientId()).isEqualTo("nexus-host-scada");
    }

    @Test
    void anEdgeThatIsAlsoAHostHasTwoSessionsWithTwoClientIds() {
        properties.put("roles", "edge, host");
        properties.put("host.id", "scada");
        properties.put("host.groups", "plant");

        Settings settings = settings();

        assertThat(settings.edge().edgeNodeId()).isEqualTo("nexus1");
        assertThat(settings.clientId()).isEqualTo("nexus-nexus-nexus1");
        assertThat(settings.hostClientId()).isEqualTo("nexus-nexus-nexus1-host");
        assertThat(settings.edge().notPublished()).as("its mirrors are not published again").containsExactly("sites/");
    }

    @Test
    void refusesUnknownRolesAndAHostWithoutItsIdOrGroups() {
        refusedNaming("roles", "edge, mirror", "'mirror'", "edge, host");
        properties.put("roles", "host");
        properties.put("host.groups", "plant");
        assertThatThrownBy(this::settings).isInstanceOf(Settings.Refused.class).hasMessageContaining("host.id is empty");
        properties.put("host.id", "scada");
        properties.put("host.groups", " ");
        assertThatThrownBy(this::settings).isInstanceOf(Settings.Refused.class).hasMessageContaining("host.groups");
        properties.put("host.groups", "plant");
        refusedNaming("host.string.bytes", "0", "1 to 65535");
    }
}
