package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * Found by attacking a running node (issue 14): every connection's requests run on the engine's two
 * request threads, so two clients whose subscribes are slow (a SQL subscription that runs into the
 * query time limit, 5 s each, 100 of them per connection within the inbound burst) hold both threads
 * and every other client's subscribe, unsubscribe and ping waits behind them, for minutes. A slow
 * request here is an alarm subscribe whose opening blocks; the third client's ping must still be
 * answered.
 */
class SlowRequestIsolationTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final ThreadScheduling scheduling = new ThreadScheduling(2, 2);
    private final Dispatcher dispatcher = new Dispatcher(1);
    private final StreamEngine engine = new StreamEngine(StreamLimits.DEFAULTS,
            new StreamEngine.Services(FakeTags::new, () -> null, () -> null, (requestId, id, alarms, resume, caller,
                    access, wake) -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new NexusException(ErrorCode.QUERY_TIMEOUT, "stands for a query stopped at its time limit");
            }), scheduling, dispatcher, Ticker.SYSTEM);

    @AfterEach
    void stop() {
        release.countDown();
        engine.stop();
        dispatcher.stop(1000);
        scheduling.stop(1000);
    }

    @Test
    void aClientsSlowRequestsDoNotHoldUpAnotherClientsPing() {
        engine.start();
        for (String user : List.of("mallory1", "mallory2")) {
            var slow = engine.open(new RecordingClient(user));
            for (int i = 0; i < 10; i++) {
                slow.receive("{\"type\":\"subscribe\",\"id\":" + i + ",\"alarms\":{}}");
            }
        }
        RecordingClient alice = new RecordingClient("alice");
        engine.open(alice).receive("{\"type\":\"ping\",\"id\":\"p\"}");

        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && seen.stream().noneMatch(m -> m.path("type").asText().equals("pong"))) {
            seen.addAll(alice.take());
            Thread.onSpinWait();
        }
        assertThat(seen).as("alice's pong while two other clients' requests are slow")
                .anySatisfy(m -> assertThat(m.path("type").asText()).isEqualTo("pong"));
    }
}
