package nexus.bench.readpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One peer for the class: Milo's server takes seconds to start on a loaded machine. */
class MiloPeerTest {

    private static MiloPeer peer;

    @BeforeAll
    static void startPeer() throws Exception {
        peer = MiloPeer.start(freePort(), 100);
    }

    @AfterAll
    static void stopPeer() throws Exception {
        peer.close();
    }

    @Test
    void servesItsTagsAsGoodFloatsToTheOpcUaReader() throws Exception {
        try (OpcUaReader reader = OpcUaReader.connect(peer.endpoint(), 100)) {
            List<DataValue> values = reader.readValues();

            assertThat(peer.endpoint()).startsWith("opc.tcp://127.0.0.1:").endsWith("/milo");
            assertThat(values).hasSize(100).allSatisfy(value -> {
                assertThat(value.getStatusCode().isGood()).isTrue();
                assertThat(value.getValue().getValue()).isInstanceOf(Float.class);
            });
            assertThat(reader.read()).isEqualTo(100);
        }
    }

    @Test
    void changesItsValuesWhileRunning() throws Exception {
        try (OpcUaReader reader = OpcUaReader.connect(peer.endpoint(), 1)) {
            Object first = reader.readValues().get(0).getValue().getValue();
            long deadline = System.nanoTime() + 10_000_000_000L;
            Object now = first;
            while (now.equals(first) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                now = reader.readValues().get(0).getValue().getValue();
            }

            assertThat(now).isInstanceOf(Float.class).isNotEqualTo(first);
        }
    }

    @Test
    void namesTagsLikeTheComparisonDocumentsThem() {
        assertThat(MiloPeer.nodeName(0)).isEqualTo("t00000");
        assertThat(MiloPeer.nodeName(9_999)).isEqualTo("t09999");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
