package nexus.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class LoadClientTest {

    /** Records what the client asks of its socket. */
    static final class RecordingSocket implements WebSocket {
        final List<String> sent = new ArrayList<>();
        long requested;
        int closes;

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            sent.add(data.toString());
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            closes++;
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public void request(long n) {
            requested = n == Long.MAX_VALUE ? n : requested + n;
        }

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return false;
        }

        @Override
        public boolean isInputClosed() {
            return false;
        }

        @Override
        public void abort() {
            closes++;
        }
    }

    private static final String SUBSCRIBE = "{\"type\":\"subscribe\",\"id\":\"1\",\"paths\":[\"a\"]}";
    private static final long WRITTEN = epochNanos("2026-12-06T15:04:17.200Z");

    private final LoadClient.Phase phase = new LoadClient.Phase();
    private final RecordingSocket socket = new RecordingSocket();

    private static long epochNanos(String text) {
        Instant instant = Instant.parse(text);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static String data(long seq, boolean snapshot) {
        return "{\"type\":\"data\",\"subscription\":\"s1\",\"seq\":" + seq + (snapshot ? ",\"snapshot\":true" : "")
                + ",\"items\":[{\"path\":\"a\",\"value\":1,\"quality\":\"GOOD\",\"ts\":\"2026-12-06T15:04:17.200Z\"},"
                + "{\"path\":\"b\",\"value\":2,\"quality\":\"GOOD\",\"ts\":\"2026-12-06T15:04:17.200Z\",\"overflow\":true}]}";
    }

    @Test
    void aReadingClientSubscribesAsksForAllAtOnceAndTimesValuesWhileMeasuring() {
        LoadClient client = new LoadClient(false, SUBSCRIBE, phase, () -> WRITTEN + 12_000_000);
        client.onOpen(socket);
        client.onText(socket, data(1, true), true);
        client.onText(socket, data(2, false), true); // warm-up: not timed
        phase.measuring = true;
        String message = data(3, false);
        client.onText(socket, message.substring(0, 40), false);
        client.onText(socket, message.substring(40), true);

        LoadClient.Figures figures = client.figures();
        assertThat(socket.sent).containsExactly(SUBSCRIBE);
        assertThat(socket.requested).isEqualTo(Long.MAX_VALUE);
        assertThat(figures.snapshotValues()).isEqualTo(2);
        assertThat(figures.values()).isEqualTo(2);
        assertThat(figures.latency().count()).isEqualTo(2);
        assertThat(figures.latency().maxNanos()).isEqualTo(12_000_000);
        assertThat(figures.overflows()).isEqualTo(3);
        assertThat(figures.dataMessages()).isEqualTo(3);
        assertThat(figures.gaps()).isZero();
    }

    @Test
    void countsSkippedSequenceNumbersInMessagesAndAgainstHeartbeats() {
        LoadClient client = new LoadClient(false, SUBSCRIBE, phase, () -> WRITTEN);
        client.onOpen(socket);
        client.onText(socket, data(1, true), true);
        client.onText(socket, data(4, false), true);
        client.onText(socket, "{\"type\":\"heartbeat\",\"time\":\"2026-12-06T15:04:32Z\",\"subscriptions\":{\"s1\":6}}", true);
        client.onText(socket, data(7, false), true);

        assertThat(client.figures().gaps()).isEqualTo(4);
        assertThat(client.figures().otherMessages()).isEqualTo(1);
    }

    @Test
    void aStalledClientNeverAsksUntilItDrainsAndItsCloseIsCounted() {
        LoadClient client = new LoadClient(true, SUBSCRIBE, phase, () -> WRITTEN);
        client.onOpen(socket);
        assertThat(socket.sent).containsExactly(SUBSCRIBE);
        assertThat(socket.requested).isZero();

        client.drain();
        client.onText(socket, data(1, true), true);
        client.onClose(socket, 4008, "slow consumer");

        assertThat(socket.requested).isEqualTo(Long.MAX_VALUE);
        assertThat(client.closed()).isDone();
        assertThat(client.figures().ending()).isEqualTo(new LoadClient.Ending(4008, "slow consumer", null));
    }

    @Test
    void errorsAreKeptAndTheRunsOwnCloseIsNotCounted() {
        LoadClient client = new LoadClient(false, SUBSCRIBE, phase, () -> WRITTEN);
        client.onOpen(socket);
        client.onText(socket, "{\"type\":\"error\",\"id\":\"1\",\"code\":\"QUERY_REJECTED\",\"message\":\"only SELECT\"}", true);
        client.onText(socket, "not json", true);
        phase.ending = true;
        client.close();
        client.onClose(socket, 1000, "");

        LoadClient.Figures figures = client.figures();
        assertThat(figures.errors()).isEqualTo(2);
        assertThat(figures.firstError()).isEqualTo("QUERY_REJECTED: only SELECT");
        assertThat(figures.ending()).isNull();
        assertThat(socket.closes).isEqualTo(1);
    }
}
