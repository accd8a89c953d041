package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.EdgeFixture.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.Map;

import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.TagInfo;

class EdgeSessionTest {

    private final EdgeFixture edge = new EdgeFixture();

    @BeforeEach
    void namespace() {
        edge.tags.tag(new TagInfo(3, "plant/boiler/temp", "FLOAT32", "b", 0, 0, 4, "degC", null, true, 0.0, 200.0,
                Map.of()), 71.5f);
        edge.tags.tag(5, "plant/line/count", "INT32", 42L);
    }

    private static SparkplugBPayload decode(byte[] payload) throws Exception {
        return new SparkplugBPayloadDecoder().buildFromByteArray(payload, null);
    }

    private static long bdSeq(SparkplugBPayload payload) {
        assertThat(metric(payload, "bdSeq").getDataType()).isEqualTo(MetricDataType.Int64);
        return (Long) metric(payload, "bdSeq").getValue();
    }

    @Test
    void theWillOfASessionIsTheDeathWithTheBdSeqItsBirthCarries() throws Exception {
        EdgeNode node = edge.node();
        SparkplugBPayload will = decode(node.newSession());
        node.online();

        assertThat(will.getMetrics()).hasSize(1);
        assertThat(bdSeq(will)).isZero();
        assertThat(will.getTimestamp()).isEqualTo(new Date(edge.now.get()));
        assertThat(bdSeq(edge.transport.last("NBIRTH"))).isEqualTo(bdSeq(will));
        assertThat(node.status().bdSeq()).isZero();
    }

    @Test
    void eachSessionTakesTheNextBdSeqAndItsBirthCarriesIt() throws Exception {
        EdgeNode node = edge.online();
        node.offline();
        SparkplugBPayload will = decode(node.newSession());
        node.online();

        assertThat(bdSeq(will)).isEqualTo(1L);
        assertThat(edge.transport.of("NBIRTH")).hasSize(2);
        assertThat(bdSeq(edge.transport.last("NBIRTH"))).isEqualTo(1L);
        assertThat(edge.transport.last("NBIRTH").getSeq()).isZero();
        assertThat(node.status().bdSeq()).isEqualTo(1);
    }

    @Test
    void theBdSeqIsKeptInTheHomeAndARestartedNodeGoesOnFromIt(@TempDir Path home) throws Exception {
        edge.home = home;
        EdgeNode first = edge.node();
        first.newSession();
        first.newSession();
        assertThat(Files.readString(home.resolve("data/sparkplug.bdseq")).strip()).isEqualTo("1");

        EdgeNode restarted = edge.node();
        assertThat(restarted.status().bdSeq()).as("the next session's").isEqualTo(2);
        assertThat(bdSeq(decode(restarted.newSession()))).isEqualTo(2L);
        assertThat(Files.readString(home.resolve("data/sparkplug.bdseq")).strip()).isEqualTo("2");
        assertThat(home.resolve("data")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void theBdSeqWrapsFrom255ToZeroAndAnUnreadableFileStartsAtZero(@TempDir Path home) throws Exception {
        edge.home = home;
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/sparkplug.bdseq"), "255\n", StandardCharsets.US_ASCII);
        assertThat(bdSeq(decode(edge.node().newSession()))).isZero();

        Files.writeString(home.resolve("data/sparkplug.bdseq"), "not a number", StandardCharsets.US_ASCII);
        assertThat(bdSeq(decode(edge.node().newSession()))).isZero();
    }

    @Test
    void stopGivesTheDeathOfTheBornSessionAndClosesItsWatch() throws Exception {
        EdgeNode node = edge.online();
        node.offline();
        node.newSession();
        node.online();

        byte[] death = node.stop();

        assertThat(bdSeq(decode(death))).isEqualTo(bdSeq(edge.transport.last("NBIRTH"))).isEqualTo(1L);
        assertThat(edge.tags.openWatches).isZero();
        assertThat(node.status().born()).isFalse();
    }

    @Test
    void stopBeforeAnyBirthHasNoDeathToPublish() {
        EdgeNode node = edge.node();
        node.newSession();

        assertThat(node.stop()).isNull();
    }

    @Test
    void withAPrimaryHostTheBirthWaitsForItsStateOnline() {
        edge.primaryHost = "scada";
        EdgeNode node = edge.online();
        edge.tags.set("plant/line/count", 43L);
        node.tick();

        assertThat(edge.transport.sent).isEmpty();
        assertThat(node.status().primaryHost()).isEqualTo("scada");
        assertThat(node.status().primaryHostOnline()).isFalse();
        assertThat(node.birthProblem()).contains("waiting for primary host 'scada'");

        node.primaryHostState(true, 1_000);

        assertThat(edge.transport.of("NBIRTH")).hasSize(1);
        assertThat(metric(edge.transport.last("NBIRTH"), "plant/line/count").getValue()).isEqualTo(43);
        assertThat(node.status().primaryHostOnline()).isTrue();
        assertThat(node.birthProblem()).isNull();
        edge.tags.set("plant/line/count", 44L);
        node.tick();
        assertThat(edge.transport.of("NDATA")).hasSize(1);
    }

    @Test
    void aPrimaryHostStateDatedFarAheadIsNotBelieved() {
        edge.primaryHost = "scada";
        EdgeNode node = edge.online();
        node.primaryHostState(true, 1_000);

        node.primaryHostState(false, edge.now.get() + 365L * 24 * 3600 * 1000); // a forger's, a year ahead

        assertThat(node.status().born()).as("the forged offline did not kill the node").isTrue();
        node.primaryHostState(false, 2_000);
        assertThat(node.status().born()).as("a true later offline still does").isFalse();
    }

    @Test
    void whenThePrimaryHostGoesOfflineTheNodeDiesAndDataStops() {
        edge.primaryHost = "scada";
        EdgeNode node = edge.online();
        node.primaryHostState(true, 1_000);

        node.primaryHostState(false, 2_000);

        RecordingTransport.Sent death = edge.transport.last();
        assertThat(death.topic()).isEqualTo("spBv1.0/plant/NDEATH/nexus1");
        assertThat(death.qos()).isOne();
        assertThat(death.retained()).isFalse();
        assertThat(bdSeq(edge.transport.last("NDEATH"))).isEqualTo(bdSeq(edge.transport.last("NBIRTH")));
        assertThat(node.status().born()).isFalse();
        assertThat(node.birthProblem()).contains("'scada' is offline");
        edge.tags.set("plant/line/count", 43L);
        node.tick();
        assertThat(edge.transport.of("NDATA")).isEmpty();

        node.primaryHostState(true, 1_500);
        assertThat(edge.transport.of("NBIRTH")).as("a STATE older than the last one seen is ignored").hasSize(1);

        node.offline();
        node.newSession();
        node.online();
        assertThat(edge.transport.of("NBIRTH")).as("a new session waits again").hasSize(1);
        node.primaryHostState(true, 3_000);
        assertThat(edge.transport.of("NBIRTH")).hasSize(2);
        assertThat(bdSeq(edge.transport.last("NBIRTH"))).isEqualTo(1L);
    }

    @Test
    void aHostBackOnlineInTheSameSessionIsBornAgainAndRebirthWaitsForIt() {
        edge.primaryHost = "scada";
        EdgeNode node = edge.online();
        assertThatThrownBy(node::rebirth).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE)).hasMessageContaining("'scada'");
        node.primaryHostState(true, 1_000);
        node.primaryHostState(false, 2_000);

        node.primaryHostState(true, 3_000);

        assertThat(edge.transport.sent).extracting(RecordingTransport.Sent::type).containsExactly("NBIRTH", "NDEATH",
                "NBIRTH");
        assertThat(edge.transport.last("NBIRTH").getSeq()).isZero();
        assertThat(node.status().born()).isTrue();
    }

    @Test
    void anUndecodableCommandIsCountedAndChangesNothing() {
        EdgeNode node = edge.online();
        int before = edge.transport.sent.size();

        node.command(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});

        assertThat(edge.counters.malformed.sum()).isOne();
        assertThat(edge.transport.sent).hasSize(before);
        assertThat(node.status().born()).isTrue();
    }

    @Test
    void aCommandBeforeTheBirthIsIgnored() throws Exception {
        edge.primaryHost = "scada";
        EdgeNode node = edge.online();

        node.command(EdgeCommandTest.rebirthCommand(edge.now.get()));

        assertThat(edge.transport.sent).isEmpty();
        assertThat(edge.counters.malformed.sum()).isZero();
    }
}
