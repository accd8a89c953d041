package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import nexus.core.HealthStatus;
import nexus.core.MetricFamily;
import nexus.core.NexusException;
import nexus.sparkplug.SparkplugStatus;

/** The component with a refused configuration: nothing connects, and every face of it says why. */
class SparkplugComponentTest {

    @TempDir
    Path home;

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { BundleContext.class },
                (proxy, method, args) -> method.getName().equals("getProperty") && "nexus.home".equals(args[0])
                        ? home.toString() : null);
    }

    @Test
    void aRefusedConfigurationIsDownNamingTheKeyAndConnectsNothing() {
        SparkplugComponent component = new SparkplugComponent(context(), Map.of("broker.urls", "mqtt://h:1883",
                "edge.node.id", "n1", "service.pid", "nexus.sparkplug"));
        try {
            assertThat(component.name()).isEqualTo("sparkplug");
            assertThat(component.required()).isFalse();
            assertThat(component.health().status()).isEqualTo(HealthStatus.DOWN);
            assertThat(component.health().detail()).startsWith("etc/nexus.sparkplug.cfg refused: broker.urls");
            SparkplugStatus status = component.status();
            assertThat(status.broker().connected()).isFalse();
            assertThat(status.broker().url()).isEqualTo("mqtt://h:1883");
            assertThat(status.broker().problem()).contains("broker.urls");
            assertThat(status.edge()).isNull();
            assertThatThrownBy(component::rebirth).isInstanceOf(NexusException.class).hasMessageContaining("broker.urls");
            assertThat(component.metrics()).extracting(MetricFamily::name).contains("nexus_sparkplug_connected");
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("nexus-sparkplug"));
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aChangedConfigurationIsCheckedAgain() {
        SparkplugComponent component = new SparkplugComponent(context(), Map.of("edge.node.id", "n 1/x"));
        try {
            assertThat(component.health().detail()).contains("edge.node.id");
            component.modified(Map.of("edge.node.id", "n1", "qos", "3"));
            assertThat(component.health().detail()).contains("qos is 3");
        } finally {
            component.deactivate();
        }
    }
}
