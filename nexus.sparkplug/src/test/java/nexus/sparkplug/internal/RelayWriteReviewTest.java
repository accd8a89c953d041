package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.HostBirthTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nexus.core.Caller;
import nexus.registry.Tag;

/**
 * Review finding (task K): on a node with {@code roles = edge, host}, an NCMD from a higher host to a
 * mirrored tag is written by the edge's command handler on the Sparkplug thread; the write to the
 * mirror's node is then queued to that same thread and waited for there, so its NCMD is never sent.
 * Fails on main at ea080aa.
 */
class RelayWriteReviewTest {
    // The finding was that such a write was queued behind itself and always timed out; it is now refused at once.

    private final ExecutorService sparkplugThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        sparkplugThread.shutdownNow();
    }

    @Test
    void aWriteAskedOnTheSparkplugThreadIsRefusedAtOnceNotWaitedFor() throws Exception {
        sparkplugThread.submit(RemoteWrites::markSparkplugThread).get(10, TimeUnit.SECONDS); // as Federation's factory does
        List<String> published = new CopyOnWriteArrayList<>();
        HostFixture.RecordingRegistry registry = new HostFixture.RecordingRegistry();
        HostFixture.Builds builds = new HostFixture.Builds();
        HostApplication host = new HostApplication(new HostSettings("scada", List.of("plant"), "sites", 256, 300),
                (topic, payload, qos, retained) -> published.add(topic), new Topics(""), new Counters(),
                () -> registry, builds, sparkplugThread, new HostFixture.TestClock());
        TahuEdge edge = new TahuEdge("plant", "press1");
        sparkplugThread.submit(() -> {
            host.online();
            host.message(edge.topic("NBIRTH"), edge.birth(3, T0, List.of(TahuEdge.metric("line/setpoint", 10,
                    MetricDataType.Double, 20.0, Map.of("writable", true)))));
        }).get(10, TimeUnit.SECONDS);
        builds.runAll();
        Tag setpoint = registry.last().tags().get(0);
        published.clear();

        // what EdgeNode.command -> TagService.write -> TagWrites -> RemoteWriter does on a relay node
        Future<Object> relayed = sparkplugThread.submit(() -> {
            try {
                return registry.last().banks().get(0).writer().write(Caller.of("top", "sparkplug NCMD"), setpoint, 21.0);
            } catch (RuntimeException e) {
                return e;
            }
        });
        Object outcome = relayed.get(10, TimeUnit.SECONDS);
        sparkplugThread.submit(() -> { }).get(10, TimeUnit.SECONDS); // whatever was queued has run

        // Refused at once, never waited for: the NCMD and its answer would queue behind this very task.
        // (An edge node that is also a host publishes no mirrors, so no NCMD relays to them: MirrorLoopReviewTest.)
        assertThat(outcome).isInstanceOf(nexus.core.NexusException.class);
        assertThat(((nexus.core.NexusException) outcome).code()).isEqualTo(nexus.core.ErrorCode.BACKEND_UNAVAILABLE);
        assertThat(((Exception) outcome).getMessage()).contains("Sparkplug thread");
        assertThat(published).as("nothing is sent").doesNotContain(edge.topic("NCMD"));
    }
}
