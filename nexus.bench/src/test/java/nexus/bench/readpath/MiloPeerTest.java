package nexus.bench.readpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

import org.junit.jupiter.api.Test;

class MiloPeerTest {

    @Test
    void servesItsTagsAsGoodFloatsToTheOpcUaReader() throws Exception {
        try (MiloPeer peer = MiloPeer.start(freePort(), 100);
                OpcUaReader reader = OpcUaReader.connect(peer.endpoint(), 100)) {
            assertThat(peer.endpoint()).startsWith("opc.tcp://127.0.0.1:").endsWith("/milo");

            List<DataValue> values = reader.readValues();
            assertThat(values).hasSize(100).allSatisfy(value -> {
                assertThat(value.getStatusCode().isGood()).isTrue();
                assertThat(value.getValue().getValue()).isInstanceOf(Float.class);
            });
            assertThat(reader.read()).isEqualTo(100);
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
