package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.HostBirthTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.eclipse.tahu.message.model.Metric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Tag;

/**
 * Writes to a device's mirrored tags when the device cannot answer: refused without a DCMD while it is
 * STALE, OUTCOME_UNKNOWN when it dies with the write out. (The answered round trip runs on a real
 * broker: {@link HostDeviceBrokerTest}.)
 */
class HostDeviceWriteTest {

    private static final Caller ALICE = Caller.of("alice", "http 127.0.0.1");
    private static final String SPEED = "sites/plant/press1/drive/speed";
    private static final String DCMD = "spBv1.0/plant/DCMD/press1/drive";

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final HostFixture f = new HostFixture(new HostSettings("scada", List.of("plant"), "sites", 256, 60_000));
    private final TahuEdge edge = new TahuEdge("plant", "press1");

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    private void born() {
        f.host.online();
        f.birth(edge, edge.birth(3, T0, HostBirthTest.plantMetrics()));
        device("DBIRTH", HostDeviceTest.driveMetrics().toArray(Metric[]::new));
    }

    private void device(String type, Metric... metrics) {
        f.host.message(edge.topic(type, "drive"), edge.device(T0 + 10, metrics));
        f.builds.runAll();
    }

    private Object write(Tag tag, Object value) {
        return f.registry.last().banks().get(tag.allocation().bank()).writer().write(ALICE, tag, value);
    }

    private List<HostFixture.Published> dcmds() {
        return f.published.stream().filter(p -> p.topic().equals(DCMD)).toList();
    }

    @Test
    void aWriteToADeadDeviceIsRefusedWithoutSending() {
        born();
        Tag speed = f.tag(SPEED);
        device("DDEATH");

        assertThatThrownBy(() -> write(speed, 10.0)).isInstanceOfSatisfying(NexusException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
            assertThat(e.getMessage()).contains("device plant/press1/drive is offline or its mirror STALE");
        });
        assertThat(f.sparkplug.queued).isEmpty();
        assertThat(dcmds()).isEmpty();
    }

    @Test
    void theDevicesDeathWithAWriteOutMakesItsOutcomeUnknown() throws Exception {
        born();
        Tag speed = f.tag(SPEED);
        CompletableFuture<Object> done = CompletableFuture.supplyAsync(() -> write(speed, 10.0), callers);
        Await.until("the DCMD is published", () -> {
            f.sparkplug.runAll();
            return !dcmds().isEmpty();
        });

        device("DDEATH");

        ExecutionException e = org.assertj.core.api.Assertions.catchThrowableOfType(() -> done.get(20, TimeUnit.SECONDS),
                ExecutionException.class);
        assertThat(e.getCause()).isInstanceOfSatisfying(NexusException.class, n -> {
            assertThat(n.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
            assertThat(n.getMessage()).startsWith("plant/press1/drive died before it answered");
        });
        assertThat(f.commandsTo(edge)).as("no NCMD: the write went to the device").isEmpty();
    }
}
