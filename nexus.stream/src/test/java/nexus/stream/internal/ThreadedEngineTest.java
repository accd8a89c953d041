package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.stream.StreamSession;

/** The engine on its own threads, as the component runs it: what the test waits for, it polls with a deadline. */
class ThreadedEngineTest {

    private final FakeTags tags = new FakeTags();
    private final ThreadScheduling scheduling = new ThreadScheduling(2, 2);
    private final Dispatcher dispatcher = new Dispatcher(1);
    private final StreamEngine engine = new StreamEngine(StreamLimits.DEFAULTS,
            new StreamEngine.Services(() -> tags, () -> null, () -> null, (requestId, id, alarms, resume, caller, access,
                    wake) -> {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no alarms in this test");
            }), scheduling, dispatcher, Ticker.SYSTEM);

    @AfterEach
    void stop() {
        engine.stop();
        dispatcher.stop(1000);
        scheduling.stop(1000);
    }

    private static List<JsonNode> await(RecordingClient client, List<JsonNode> seen, Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            seen.addAll(client.take());
            if (seen.stream().anyMatch(wanted)) {
                return seen;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("not received within 10 s; received " + seen);
    }

    @Test
    void samplesAndSendsOnItsOwnThreads() {
        engine.start();
        tags.add("a/t1");
        RecordingClient client = new RecordingClient("alice");
        StreamSession session = engine.open(client);
        session.receive("{\"type\":\"subscribe\",\"id\":\"1\",\"paths\":[\"a/t1\"],\"samplingMs\":10}");
        List<JsonNode> seen = new ArrayList<>();
        await(client, seen, m -> m.path("snapshot").asBoolean());

        tags.set("a/t1", 42.0);
        await(client, seen, m -> m.path("items").path(0).path("value").asDouble() == 42.0);
        assertThat(client.sendThread).startsWith("nexus-stream-dispatch-");

        session.receive("{\"type\":\"subscribe\",\"id\":\"2\",\"sql\":\"SELECT id FROM tags\"}");
        await(client, seen, m -> m.path("type").asText().equals("error") && m.path("id").asText().equals("2"));
        assertThat(seen).filteredOn(m -> m.path("id").asText().equals("2")).singleElement()
                .satisfies(m -> assertThat(m.get("code").asText()).isEqualTo("BACKEND_UNAVAILABLE"));
    }
}
