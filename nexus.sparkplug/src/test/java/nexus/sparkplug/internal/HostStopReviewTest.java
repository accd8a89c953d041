package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.HostBirthTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.TagRegistry;

/**
 * Review finding (task K): when the registry refuses the withdrawal at stop (it is stopping itself, or
 * frozen), the host's role throws out of {@link HostLinkRole#stop()}; MqttLink then disconnects
 * cleanly without the STATE {@code online:false}, the broker drops the will, and the retained STATE
 * keeps saying the host is online. Fails on main at ea080aa.
 */
class HostStopReviewTest {

    @Test
    void theStateOfflineIsPublishedEvenWhenTheRegistryRefusesTheWithdrawal() {
        HostFixture.RecordingRegistry recording = new HostFixture.RecordingRegistry();
        TagRegistry stopping = (TagRegistry) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TagRegistry.class}, (proxy, method, args) -> {
                    if (method.getName().equals("withdraw")) {
                        throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE,
                                "the registry service has stopped: contribute again when it is back");
                    }
                    try {
                        return method.invoke(recording, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        HostSettings settings = new HostSettings("scada", List.of("plant"), "sites", 256);
        HostFixture.Builds builds = new HostFixture.Builds();
        Transport transport = (topic, payload, qos, retained) -> true;
        HostApplication host = new HostApplication(settings, transport, new Topics(""), new Counters(),
                () -> stopping, builds, Runnable::run, new HostFixture.TestClock());
        HostLinkRole role = new HostLinkRole(host, settings, new Topics(""), transport);
        role.newSession();
        role.online();
        TahuEdge edge = new TahuEdge("plant", "press1");
        host.message(edge.topic("NBIRTH"), edge.birth(3, T0, HostBirthTest.plantMetrics()));
        builds.runAll();
        assertThat(recording.contributions).hasSize(1);

        String lastWords;
        try {
            lastWords = new String(role.stop(), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            lastWords = "none: " + e;
        }

        assertThat(lastWords).as("the host's last words, its STATE offline").contains("\"online\":false");
    }
}
