package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Review of issue 14: a connection's request lane ({@code Connection.lane}) has no bound. Requests run on two
 * request threads shared by every connection; while they are busy (two clients' SQL subscribes each running
 * up to the query time limit), every connection's lane grows at {@code inbound.rate} messages of up to 64 KiB
 * a second, without end, and the node never says so. Here the request threads never get to this connection's
 * lane (the harness runs requests only when the test settles) for 100 s while it sends within its rate.
 */
class ReviewRequestLaneTest {

    @Test
    void requestsWaitingForTheRequestThreadsAreBounded() {
        Harness h = new Harness();
        Harness.Client c = h.connect("alice");
        int sent = 0;
        for (int i = 0; i < StreamLimits.DEFAULTS.inboundBurst(); i++, sent++) {
            c.says("{\"type\":\"ping\",\"id\":" + sent + "}");
        }
        for (int second = 0; second < 100; second++) {
            h.ticker.nanos += TimeUnit.SECONDS.toNanos(1);
            for (int i = 0; i < StreamLimits.DEFAULTS.inboundRate(); i++, sent++) {
                c.says("{\"type\":\"ping\",\"id\":" + sent + "}");
            }
        }
        assertThat(c.client().closeCode).as("within the inbound rate: not closed for it").isNull();

        h.settle();
        long pongs = c.take().stream().filter(m -> m.get("type").asText().equals("pong")).count();
        assertThat(pongs).as("%d requests were kept waiting for the request threads, none refused", sent)
                .isLessThan(sent);
    }
}
