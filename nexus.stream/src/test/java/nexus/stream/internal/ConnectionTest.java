package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.ErrorCode;
import nexus.core.MetricFamily;
import nexus.core.NexusException;
import nexus.stream.StreamClose;
import nexus.stream.StreamInfo;

class ConnectionTest {

    private final Harness h = new Harness();

    private static JsonNode only(List<JsonNode> messages) {
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    private static void assertError(JsonNode message, String id, String code, String saying) {
        assertThat(message.get("type").asText()).isEqualTo("error");
        if (id == null) {
            assertThat(message.get("id").isNull()).isTrue();
        } else {
            assertThat(message.get("id").asText()).isEqualTo(id);
        }
        assertThat(message.get("code").asText()).isEqualTo(code);
        assertThat(message.get("message").asText()).contains(saying);
    }

    @Test
    void answersPingAndUnsubscribe() {
        h.tags.add("a/t1");
        Harness.Client c = h.connect("alice");
        c.says("{\"type\":\"ping\",\"id\":7}");
        c.says("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"]}");
        h.settle();
        c.says("{\"type\":\"unsubscribe\",\"id\":\"u\",\"subscription\":\"s1\"}");
        h.settle();
        List<JsonNode> messages = c.take();
        assertThat(messages).extracting(m -> m.get("type").asText()).containsExactly("pong", "data", "unsubscribed");
        assertThat(messages.get(0).get("id").asInt()).isEqualTo(7);
        assertThat(messages.get(2).get("subscription").asText()).isEqualTo("s1");
        assertThat(h.engine.feeds().size()).isZero();
    }

    @Test
    void refusesBadMessagesWithAnErrorAndGoesOn() {
        h.tags.add("a/t1");
        Harness.Client c = h.connect("alice");
        c.says("{not json");
        c.says("{\"type\":\"subscribe\",\"id\":\"2\",\"paths\":[\"a/t1\"],\"colour\":\"red\"}");
        c.says("{\"type\":\"publish\",\"id\":\"3\"}");
        c.says("{\"type\":\"subscribe\",\"id\":\"4\",\"paths\":[\"a/t1\"],\"samplingMs\":5}");
        c.says("{\"type\":\"subscribe\",\"id\":\"5\",\"paths\":[\"a/t1\"],\"queueSize\":101}");
        c.says("{\"type\":\"unsubscribe\",\"id\":\"6\",\"subscription\":\"s9\"}");
        c.says("{\"type\":\"subscribe\",\"id\":\"7\",\"sql\":\"DELETE FROM tags\"}");
        c.says("{\"type\":\"subscribe\",\"id\":\"8\",\"paths\":[\"a//t1\"]}");
        c.says("{\"type\":\"subscribe\",\"id\":\"9\",\"paths\":[\"a/t1\"],\"samplingMs\":\"fast\"}");
        c.says("{\"type\":\"subscribe\",\"id\":" + "\"" + "x".repeat(65) + "\"}");
        c.says("{\"type\":\"ping\",\"id\":\"10\"}");
        h.settle();
        List<JsonNode> messages = c.take();
        assertThat(messages).hasSize(11);
        // Answered on receipt, in order: what needs no request thread (malformed, ping, ...).
        assertError(messages.get(0), null, "INVALID_ARGUMENT", "not JSON");
        assertError(messages.get(1), "2", "INVALID_ARGUMENT", "unknown field 'colour'");
        assertError(messages.get(2), "3", "INVALID_ARGUMENT", "unknown message type 'publish'");
        assertError(messages.get(3), "4", "INVALID_ARGUMENT", "'samplingMs' is 5; it is a whole number from 10 (sampling.min.ms)");
        assertError(messages.get(4), "5", "INVALID_ARGUMENT", "'queueSize' is 101; it is a whole number from 1 to 100 (queue.max)");
        assertError(messages.get(5), "9", "INVALID_ARGUMENT", "'samplingMs'");
        assertError(messages.get(6), null, "INVALID_ARGUMENT", "'id' is a string of at most 64");
        assertThat(messages.get(7).get("type").asText()).isEqualTo("pong");
        // Then, from the request lane in order, what had to wait for it.
        assertError(messages.get(8), "6", "NOT_FOUND", "no subscription 's9'");
        assertError(messages.get(9), "7", "QUERY_REJECTED", "only 'prefix <p>'");
        assertError(messages.get(10), "8", "INVALID_ARGUMENT", "'a//t1' is not a tag path");
        assertThat(c.client().closeCode).isNull();
        assertThat(h.engine.feeds().size()).as("refused subscriptions leave no feed").isZero();
    }

    @Test
    void refusesMoreSubscriptionsThanTheMostAndMoreTagsThanItemsMax() {
        Harness small = new Harness(new StreamLimits(10, 2, 2, 1_000_000, 10, 100, 10, 1 << 20, 10, 15, 100, 100,
                64, 1_000_000, 20_000_000));
        small.tags.add("a/t1").add("a/t2").add("a/t3");
        Harness.Client c = small.connect("alice");
        c.says("{\"type\":\"subscribe\",\"id\":\"1\",\"paths\":[\"a/t1\"]}");
        c.says("{\"type\":\"subscribe\",\"id\":\"2\",\"paths\":[\"a/t1\",\"a/t2\",\"a/t3\"]}");
        c.says("{\"type\":\"subscribe\",\"id\":\"3\",\"sql\":\"prefix a/\"}");
        c.says("{\"type\":\"subscribe\",\"id\":\"4\",\"paths\":[\"a/t2\"]}");
        c.says("{\"type\":\"subscribe\",\"id\":\"5\",\"paths\":[\"a/t3\"]}");
        small.settle();
        java.util.Map<String, JsonNode> byId = new java.util.HashMap<>();
        c.take().forEach(m -> byId.put(m.get("id").asText(), m));
        assertThat(byId).hasSize(5);
        assertThat(byId.get("1").get("subscription").asText()).isEqualTo("s1");
        assertError(byId.get("2"), "2", "INVALID_ARGUMENT", "at most 2 (items.max)");
        assertError(byId.get("3"), "3", "INVALID_ARGUMENT", "the query answers 3 tags");
        assertThat(byId.get("4").get("subscription").asText()).as("ids count subscriptions made").isEqualTo("s2");
        assertError(byId.get("5"), "5", "INVALID_ARGUMENT", "subscriptions.max");
    }

    @Test
    void sendsAHeartbeatWithTheLastSequenceOfEverySubscriptionWhenIdle() {
        h.tags.add("a/t1").add("a/t2");
        Harness.Client c = h.connect("alice");
        c.says("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"]}");
        c.says("{\"type\":\"subscribe\",\"paths\":[\"a/t2\"]}");
        h.settle();
        h.tags.set("a/t1", 1.0);
        h.sample();
        c.take();

        h.pass(14_000);
        assertThat(c.take()).isEmpty();
        h.pass(1_000);
        JsonNode heartbeat = only(c.take());
        assertThat(heartbeat.get("type").asText()).isEqualTo("heartbeat");
        assertThat(heartbeat.get("time").asText()).startsWith("2027-01-15T");
        assertThat(heartbeat.get("subscriptions").get("s1").asLong()).isEqualTo(2);
        assertThat(heartbeat.get("subscriptions").get("s2").asLong()).isEqualTo(1);
        h.pass(1_000);
        assertThat(c.take()).isEmpty();
    }

    @Test
    void closesASlowConsumerWhileAnotherConnectionKeepsReceiving() {
        Harness small = new Harness(new StreamLimits(10, 4, 100, 1_000_000, 10, 100, 10, 64, 10, 15, 20, 100,
                64, 1_000_000, 20_000_000));
        small.tags.add("a/t1");
        Harness.Client slow = small.connect("slow");
        Harness.Client fast = small.connect("fast");
        slow.client().pause();
        slow.says("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"]}");
        fast.says("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"]}");
        small.settle();
        slow.take();
        fast.take();

        for (int second = 1; second <= 10; second++) {
            small.tags.set("a/t1", (double) second);
            small.sample();
            assertThat(only(fast.take()).get("items").get(0).get("value").asDouble()).isEqualTo(second);
            assertThat(slow.client().closeCode).isNull();
            small.pass(1_000);
        }
        assertThat(slow.client().closeCode).isEqualTo(StreamClose.SLOW_CONSUMER);
        assertThat(slow.client().closeReason).contains("did not read");
        assertThat(fast.client().closeCode).isNull();
        assertThat(small.engine.counters().closedCount(StreamCounters.Closed.SLOW_CONSUMER)).isEqualTo(1);
        assertThat(small.engine.streams()).extracting(s -> s.user()).containsExactly("fast");

        small.tags.set("a/t1", 99.0);
        small.sample();
        assertThat(only(fast.take()).get("items").get(0).get("value").asDouble()).isEqualTo(99.0);
    }

    @Test
    void aBufferThatDrainsInTimeIsNotClosed() {
        Harness small = new Harness(new StreamLimits(10, 4, 100, 1_000_000, 10, 100, 10, 64, 10, 15, 20, 100,
                64, 1_000_000, 20_000_000));
        small.tags.add("a/t1");
        Harness.Client c = small.connect("alice");
        c.client().pause();
        c.says("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"]}");
        small.settle();
        small.pass(9_000);
        c.client().resume();
        small.settle();
        small.pass(5_000);
        assertThat(c.client().closeCode).isNull();
    }

    @Test
    void closesAFloodWith4029() {
        Harness.Client c = h.connect("alice");
        for (int i = 0; i < 100; i++) {
            c.says("{\"type\":\"ping\"}");
        }
        assertThat(c.client().closeCode).isNull();
        c.says("{\"type\":\"ping\"}");
        assertThat(c.client().closeCode).isEqualTo(StreamClose.TOO_MANY_MESSAGES);
        assertThat(h.engine.counters().closedCount(StreamCounters.Closed.TOO_MANY_MESSAGES)).isEqualTo(1);
        assertThat(h.engine.streams()).isEmpty();
    }

    @Test
    void theInboundRateRefillsOverTime() {
        Harness.Client c = h.connect("alice");
        for (int i = 0; i < 100; i++) {
            c.says("{\"type\":\"ping\"}");
        }
        h.ticker.nanos += 1_000_000_000L;
        for (int i = 0; i < 20; i++) {
            c.says("{\"type\":\"ping\"}");
        }
        assertThat(c.client().closeCode).isNull();
    }

    @Test
    void closesWith4001WhenTheIdentityEnds() {
        h.tags.add("a/t1");
        Harness.Client c = h.connect("alice");
        c.says("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"]}");
        h.settle();
        h.pass(1_000);
        assertThat(c.client().closeCode).isNull();
        c.client().current = false;
        h.pass(1_000);
        assertThat(c.client().closeCode).isEqualTo(StreamClose.IDENTITY_ENDED);
        assertThat(h.engine.counters().closedCount(StreamCounters.Closed.IDENTITY_ENDED)).isEqualTo(1);
        assertThat(h.engine.feeds().size()).isZero();
    }

    @Test
    void refusesConnectionsBeyondTheMost() {
        Harness small = new Harness(new StreamLimits(2, 4, 100, 1_000_000, 10, 100, 10, 64, 10, 15, 20, 100,
                64, 1_000_000, 20_000_000));
        small.connect("a");
        Harness.Client b = small.connect("b");
        assertThatThrownBy(() -> small.connect("c")).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED));
        b.session().closed();
        assertThat(small.connect("c")).isNotNull();
    }

    @Test
    void stoppingClosesEveryStreamWith1001() {
        Harness.Client a = h.connect("a");
        Harness.Client b = h.connect("b");
        h.engine.stop();
        assertThat(a.client().closeCode).isEqualTo(StreamClose.GOING_AWAY);
        assertThat(b.client().closeCode).isEqualTo(StreamClose.GOING_AWAY);
        assertThat(h.engine.streams()).isEmpty();
    }

    @Test
    void listsStreamsAndShowsMetrics() {
        h.tags.add("a/t1");
        Harness.Client c = h.connect("alice");
        c.says("{\"type\":\"subscribe\",\"sql\":\"prefix a/\"}");
        h.settle();
        var stream = h.engine.streams().get(0);
        assertThat(stream.user()).isEqualTo("alice");
        assertThat(stream.transport()).isEqualTo("websocket");
        assertThat(stream.messages()).isEqualTo(1);
        assertThat(stream.subscriptions()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo("s1");
            assertThat(s.kind()).isEqualTo("tags");
            assertThat(s.target()).isEqualTo("prefix a/");
            assertThat(s.items()).isEqualTo(1);
            assertThat(s.sequence()).isEqualTo(1);
        });
        List<MetricFamily> metrics = h.engine.metrics();
        assertThat(metrics).extracting(MetricFamily::name).containsExactly("nexus_stream_connections",
                "nexus_stream_subscriptions", "nexus_stream_feeds", "nexus_stream_messages_total",
                "nexus_stream_values_total", "nexus_stream_overflows_total", "nexus_stream_closed_total",
                "nexus_stream_buffered_bytes", "nexus_stream_sample_failures_total", "nexus_stream_items",
                "nexus_stream_samples_per_second", "nexus_stream_member_failures_total");
        assertThat(metrics.get(9).samples().get(0).value()).as("tags followed").isEqualTo(1);
        assertThat(metrics.get(0).samples()).anySatisfy(s -> {
            assertThat(s.labels()).containsEntry("transport", "websocket");
            assertThat(s.value()).isEqualTo(1);
        });
        assertThat(metrics.get(1).samples()).anySatisfy(s -> {
            assertThat(s.labels()).containsEntry("kind", "tags");
            assertThat(s.value()).isEqualTo(1);
        });
        assertThat(metrics.get(3).samples().get(0).value()).isEqualTo(1);
        assertThat(metrics.get(4).samples().get(0).value()).isEqualTo(1);
    }

    @Test
    void aFailedSendEndsTheConnection() {
        h.tags.add("a/t1");
        RecordingClient failing = new RecordingClient("alice");
        failing.failing = true;
        var session = h.engine.open(failing);
        session.receive("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"]}");
        h.settle();
        assertThat(h.engine.streams()).isEmpty();
        assertThat(h.engine.feeds().size()).isZero();
    }

    @Test
    void aSendThatThrowsClosesTheTransportWith1011() {
        RecordingClient broken = new RecordingClient("alice");
        broken.throwing = true;
        var session = h.engine.open(broken);
        session.receive("{\"type\":\"ping\"}");
        h.settle();
        assertThat(broken.closeCode).as("the WebSocket is not left open and ignored").isEqualTo(1011);
        assertThat(h.engine.streams()).isEmpty();
    }

    @Test
    void countsAMessagesSizeInUtf8BytesAsTheTransportDoes() {
        Harness.Client c = h.connect("alice");
        String id = "\u00e9".repeat(StreamLimits.MESSAGE_MAX / 2); // 32 Ki characters, 64 KiB of UTF-8
        c.says("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        assertThat(c.client().closeCode).isEqualTo(StreamClose.TOO_BIG);
        assertThat(c.client().closeReason).contains("64 KiB");

        Harness.Client d = h.connect("bob");
        d.says("{\"type\":\"ping\",\"id\":\"" + "\u00e9".repeat(40) + "\"}");
        assertThat(d.client().closeCode).isNull();
    }

    /** An alarm subscription as the seam describes it: messages when asked, a resume id, behind when told. */
    private static final class FakeAlarms implements Subscription {
        final String id;
        final String requestId;
        volatile String behind;
        private long sequence;

        FakeAlarms(String requestId, String id) {
            this.requestId = requestId;
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public synchronized Outgoing next(long nowNanos) {
            if (sequence > 0) {
                return null;
            }
            sequence++;
            return new Outgoing("{\"type\":\"alarms\",\"id\":\"" + requestId + "\",\"subscription\":\"" + id
                    + "\",\"seq\":1,\"run\":\"r\",\"sequence\":41,\"resumed\":false,\"alarms\":[]}", "r:41");
        }

        @Override
        public synchronized long sequence() {
            return sequence;
        }

        @Override
        public String behind() {
            return behind;
        }

        @Override
        public StreamInfo.SubscriptionInfo info() {
            return new StreamInfo.SubscriptionInfo(id, "alarms", "all", 0, 0, sequence(), 0);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void servesAlarmSubscriptionsThroughTheSeamAndClosesOneTooFarBehind() {
        List<FakeAlarms> made = new java.util.ArrayList<>();
        h.alarms = (requestId, id, filter, resume, caller, access, wake) -> {
            assertThat(filter.get("prefix").asText()).isEqualTo("site1/");
            assertThat(resume.get("sequence").asLong()).isEqualTo(40);
            assertThat(caller.user()).isEqualTo("alice");
            assertThat(access.get()).isEqualTo(nexus.core.Access.UNRESTRICTED);
            FakeAlarms subscription = new FakeAlarms(requestId.asText(), id);
            made.add(subscription);
            return subscription;
        };
        Harness.Client c = h.connect("alice");
        c.says("{\"type\":\"subscribe\",\"id\":\"a\",\"alarms\":{\"prefix\":\"site1/\"},\"resume\":{\"run\":\"r\","
                + "\"sequence\":40}}");
        h.settle();
        JsonNode list = only(c.take());
        assertThat(list.get("type").asText()).isEqualTo("alarms");
        assertThat(list.get("subscription").asText()).isEqualTo("s1");
        assertThat(c.client().resumeIds).containsExactly("r:41");
        assertThat(h.engine.metrics().get(1).samples()).anySatisfy(s -> {
            assertThat(s.labels()).containsEntry("kind", "alarms");
            assertThat(s.value()).isEqualTo(1);
        });

        made.get(0).behind = "alarm events it has not taken are about to leave the ring";
        h.pass(250);
        assertThat(c.client().closeCode).isEqualTo(StreamClose.SLOW_CONSUMER);
        assertThat(c.client().closeReason).contains("about to leave the ring");
        assertThat(h.engine.counters().closedCount(StreamCounters.Closed.SLOW_CONSUMER)).isEqualTo(1);
    }
}
