package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.Health;
import nexus.core.HealthStatus;

/** The component's configuration: a refused etc/nexus.stream.cfg serves the defaults and says why on /health. */
class StreamComponentTest {

    /** A configuration with the Metatype defaults, but for the given values (by method name). */
    private static StreamConfig config(Map<String, Object> values) {
        return (StreamConfig) Proxy.newProxyInstance(StreamConfig.class.getClassLoader(), new Class<?>[] { StreamConfig.class },
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName())
                        : method.getDefaultValue());
    }

    @Test
    void theDefaultsServeAndHealthCountsTheStreams() {
        StreamComponent component = new StreamComponent(config(Map.of()));
        try {
            Health health = component.health();
            assertThat(health.status()).isEqualTo(HealthStatus.UP);
            assertThat(health.detail()).isEqualTo("0 streams, 0 subscriptions");
            assertThat(component.required()).isFalse();
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aRefusedConfigurationServesTheDefaultsAndSaysWhy() {
        StreamComponent component = new StreamComponent(config(Map.of("heartbeat_seconds", 99)));
        try {
            Health health = component.health();
            assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(health.detail()).contains("etc/nexus.stream.cfg refused: heartbeat.seconds is 99")
                    .contains("the defaults serve");
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aRingBeyondItsLimitIsRefused() {
        StreamComponent component = new StreamComponent(config(Map.of("alarm_ring_size", 5_000_000)));
        try {
            assertThat(component.health().detail()).contains("alarm.ring.size is 5000000");
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aChangedConfigurationKeepsTheOpenStreamsAndSaysWhenItIsRefused() {
        StreamComponent component = new StreamComponent(config(Map.of()));
        try {
            RecordingClient client = new RecordingClient("alice");
            component.open(client);

            component.modified(config(Map.of("subscriptions_max", 3)));
            assertThat(client.closeCode).as("a change of limits closes no stream").isNull();
            assertThat(component.streams()).hasSize(1);
            assertThat(component.health().status()).isEqualTo(HealthStatus.UP);

            component.modified(config(Map.of("inbound_rate", 0)));
            assertThat(component.health().status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(component.health().detail()).contains("inbound.rate is 0");
            assertThat(client.closeCode).isNull();

            component.modified(config(Map.of()));
            assertThat(component.health().status()).isEqualTo(HealthStatus.UP);
        } finally {
            component.deactivate();
        }
    }
}
