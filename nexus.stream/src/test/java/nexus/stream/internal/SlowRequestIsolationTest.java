package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * Found by attacking a running node (issue 14): 40 connections each sending 3 SQL subscribes that ran
 * to the query time limit kept a new connection's subscribe waiting for minutes, because a connection
 * held its request thread until its whole lane was done. Connections now take turns: one request, then
 * the connection queues again behind the others. A slow request here is an alarm subscribe of a
 * "mallory" whose opening waits until the test lets one through (a query ending at its time limit);
 * anyone else's is refused at once, which answers it.
 */
class SlowRequestIsolationTest {

    private final Semaphore slow = new Semaphore(0);
    private final AtomicInteger waiting = new AtomicInteger();
    private final ThreadScheduling scheduling = new ThreadScheduling(2, 2);
    private final Dispatcher dispatcher = new Dispatcher(1);
    private final StreamEngine engine = new StreamEngine(StreamLimits.DEFAULTS,
            new StreamEngine.Services(FakeTags::new, () -> null, () -> null, (requestId, id, alarms, resume, caller,
                    access, wake) -> {
                if (caller.user().startsWith("mallory")) {
                    waiting.incrementAndGet();
                    slow.acquireUninterruptibly();
                }
                throw new NexusException(ErrorCode.QUERY_TIMEOUT, "stands for a query stopped at its time limit");
            }), scheduling, dispatcher, Ticker.SYSTEM);

    @AfterEach
    void stop() {
        slow.release(1000);
        engine.stop();
        dispatcher.stop(1000);
        scheduling.stop(1000);
    }

    @Test
    void aClientsSlowRequestsDoNotHoldUpAnotherClientsPing() {
        engine.start();
        slowClients(10);
        RecordingClient alice = new RecordingClient("alice");
        engine.open(alice).receive("{\"type\":\"ping\",\"id\":\"p\"}");

        assertThat(awaitFrom(alice, m -> m.path("type").asText().equals("pong")))
                .as("alice's pong while two other clients' requests are slow").isTrue();
    }

    @Test
    void aSecondClientsSubscribeIsHandledAfterOneSlowRequestOfEachNotAfterAll() {
        engine.start();
        slowClients(3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiting.get() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // both request threads hold a slow request
        }
        RecordingClient alice = new RecordingClient("alice");
        engine.open(alice).receive("{\"type\":\"subscribe\",\"id\":\"a\",\"alarms\":{}}");

        slow.release(2); // one slow request of each ends; each has two more waiting
        assertThat(awaitFrom(alice, m -> m.path("id").asText().equals("a")))
                .as("alice's subscribe answered after one slow request of each client, not all six").isTrue();
    }

    /** Two clients each send this many slow subscribes. */
    private void slowClients(int each) {
        for (String user : List.of("mallory1", "mallory2")) {
            var session = engine.open(new RecordingClient(user));
            for (int i = 0; i < each; i++) {
                session.receive("{\"type\":\"subscribe\",\"id\":" + i + ",\"alarms\":{}}");
            }
        }
    }

    /** @return whether the client got a message that matches within 10 s */
    private static boolean awaitFrom(RecordingClient client, Predicate<JsonNode> wanted) {
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && seen.stream().noneMatch(wanted)) {
            seen.addAll(client.take());
            Thread.onSpinWait();
        }
        return seen.stream().anyMatch(wanted);
    }
}
