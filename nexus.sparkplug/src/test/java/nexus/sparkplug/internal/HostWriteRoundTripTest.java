package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Tag;

/**
 * A host's write carried out by this project's own edge command handler ({@link Commands}, over the
 * {@link CommandFixture}'s tags): the NCMD the host sends is what the edge understands, and the edge's
 * answer is what the host takes in — the written value, or the edge's own refusal.
 */
class HostWriteRoundTripTest {

    private static final Caller ALICE = Caller.of("alice", "http 127.0.0.1");

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final HostFixture host = new HostFixture(new HostSettings("scada", List.of("plant"), "sites", 256, 60_000));
    private final CommandFixture edgeNode = new CommandFixture();
    private final TahuEdge edge = new TahuEdge("plant", "edge1");
    private long seq;

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /** The edge's birth as the host hears it: the fixture's tags by path and id, each marked writable for the host. */
    private void born() {
        host.host.online();
        host.birth(edge, edge.birth(0, CommandFixture.NOW, List.of(
                TahuEdge.metric(CommandFixture.TT101, 1, MetricDataType.Double, 20.0, Map.of("writable", true)),
                TahuEdge.metric(CommandFixture.READ_ONLY, 20, MetricDataType.Double, 7.0, Map.of("writable", true)),
                TahuEdge.metric(CommandFixture.LOCKED, 21, MetricDataType.Int32, 3, Map.of("writable", true)))));
    }

    /** Writes through the host; the edge handles the NCMD and its answer goes back to the host as the next NDATA. */
    private Object write(String metric, Object value) throws Exception {
        Tag tag = host.tag("sites/plant/edge1/" + metric);
        CompletableFuture<Object> done = CompletableFuture.supplyAsync(
                () -> host.registry.last().banks().get(tag.allocation().bank()).writer().write(ALICE, tag, value), callers);
        Await.until("the NCMD is published", () -> host.sparkplug.runAll() > 0);
        List<HostFixture.Published> commands = host.commandsTo(edge);
        Payload ncmd = Payload.parseFrom(commands.get(commands.size() - 1).payload());
        Commands.Outcome outcome = edgeNode.commands.handle(ncmd, edgeNode.table);
        seq++;
        host.host.message(edge.topic("NDATA"), Payload.newBuilder().setTimestamp(CommandFixture.NOW).setSeq(seq)
                .addAllMetrics(outcome.answers()).build().toByteArray());
        try {
            return done.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void theEdgeCarriesTheWriteOutAsTheHostsUserAndTheHostTakesItsAnswer() throws Exception {
        born();

        Object answered = write(CommandFixture.TT101, 55.5);

        assertThat(answered).isEqualTo(55.5);
        assertThat(host.value("sites/plant/edge1/" + CommandFixture.TT101)).isEqualTo(55.5);
        assertThat(edgeNode.tags.callers).singleElement().satisfies(caller -> {
            assertThat(caller.user()).isEqualTo("alice via sparkplug");
            assertThat(caller.roles()).containsExactly("operator");
            assertThat(caller.source()).startsWith("sparkplug NCMD request ");
        });
        assertThat(host.counters.malformed.sum()).isZero();
    }

    @Test
    void theEdgesOwnRefusalsComeBackWithTheirCodes() {
        born();

        NexusException readOnly = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> write(CommandFixture.READ_ONLY, 9.0), NexusException.class);
        NexusException locked = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> write(CommandFixture.LOCKED, 9L), NexusException.class);

        assertThat(readOnly.code()).isEqualTo(ErrorCode.NOT_WRITABLE);
        assertThat(readOnly.getMessage()).isEqualTo("edge node plant/edge1 refused the write: tag plant/ro is not"
                + " writable");
        assertThat(locked.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(host.value("sites/plant/edge1/" + CommandFixture.LOCKED)).as("the current value the refusal carried")
                .isEqualTo(3L);
        assertThat(host.counters.malformed.sum()).isZero();
    }
}
