package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A connection's request lane is bounded: requests run on request threads shared by every connection,
 * and while they are busy (other clients' SQL subscribes each running up to the query time limit) at
 * most {@code inbound.burst} of a connection's subscribes wait; the excess is answered OVERLOADED and
 * the connection goes on. Pings and unsubscribes need no request thread: they are answered at once.
 * Here the request threads never get to the lane (the harness runs requests only when the test settles).
 */
class RequestLaneTest {

    private static String subscribe(int id) {
        return "{\"type\":\"subscribe\",\"id\":" + id + ",\"paths\":[\"a/" + id + "\"]}";
    }

    @Test
    void subscribesWaitingForTheRequestThreadsAreBoundedAndTheExcessIsOverloaded() {
        Harness h = new Harness();
        Harness.Client c = h.connect("alice");
        int burst = StreamLimits.DEFAULTS.inboundBurst();
        int sent = 0;
        for (int i = 0; i < burst; i++, sent++) {
            c.says(subscribe(sent));
        }
        for (int second = 0; second < 100; second++) {
            h.ticker.nanos += TimeUnit.SECONDS.toNanos(1);
            for (int i = 0; i < StreamLimits.DEFAULTS.inboundRate(); i++, sent++) {
                c.says(subscribe(sent));
            }
        }
        assertThat(c.client().closeCode).as("within the inbound rate: not closed for it").isNull();

        h.dispatcher.drain(); // the answers made on receipt, before any request thread ran
        List<JsonNode> refused = c.take();
        assertThat(refused).hasSize(sent - burst).allSatisfy(m -> {
            assertThat(m.get("type").asText()).isEqualTo("error");
            assertThat(m.get("code").asText()).isEqualTo("OVERLOADED");
            assertThat(m.get("message").asText()).contains("inbound.burst");
        });
        assertThat(refused.get(0).get("id").asInt()).as("the first beyond the burst").isEqualTo(burst);

        h.settle();
        long made = c.take().stream().filter(m -> m.get("type").asText().equals("data")).count();
        assertThat(made).as("the waiting subscribes ran, up to subscriptions.max")
                .isEqualTo(StreamLimits.DEFAULTS.subscriptionsMax());
        assertThat(c.client().closeCode).isNull();
    }

    @Test
    void pingsAndUnsubscribesAreAnsweredWhileSubscribesWait() {
        Harness h = new Harness();
        Harness.Client c = h.connect("alice");
        c.says(subscribe(1));
        h.settle();
        assertThat(c.take()).hasSize(1);

        c.says(subscribe(2)); // waits: the request threads are busy
        c.says("{\"type\":\"ping\",\"id\":\"p\"}");
        c.says("{\"type\":\"unsubscribe\",\"id\":\"u\",\"subscription\":\"s1\"}");
        h.dispatcher.drain();

        assertThat(c.take()).extracting(m -> m.get("type").asText() + " " + m.get("id").asText())
                .containsExactly("pong p", "unsubscribed u");
        h.settle();
        assertThat(c.take()).extracting(m -> m.get("type").asText()).containsExactly("data");
    }
}
