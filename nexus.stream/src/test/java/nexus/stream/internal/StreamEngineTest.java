package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.stream.StreamClose;

/** The engine's node-wide rules: sharing of feeds, items.node.max, reconfiguration, stopping. */
class StreamEngineTest {

    private static StreamLimits limits(int subscriptionsMax, long itemsNodeMax) {
        return new StreamLimits(10, subscriptionsMax, 100, itemsNodeMax, 10, 100, 10, 1 << 20, 10, 15, 20, 100,
                64, 1_000_000, 20_000_000);
    }

    private static List<String> paths(JsonNode message) {
        return message.get("items").findValuesAsText("path");
    }

    @Test
    void subscriptionsToTheSameTagsInAnotherOrderShareAFeedAndEachGetsItsOrder() {
        Harness h = new Harness();
        h.tags.add("a/1").add("a/2");
        Harness.Client alice = h.connect("alice");
        Harness.Client bob = h.connect("bob");
        alice.says("{\"type\":\"subscribe\",\"paths\":[\"a/1\",\"a/2\"]}");
        bob.says("{\"type\":\"subscribe\",\"paths\":[\"a/2\",\"a/1\"]}");
        h.settle();

        assertThat(h.engine.feeds().size()).isEqualTo(1);
        assertThat(paths(alice.take().get(0))).containsExactly("a/1", "a/2");
        assertThat(paths(bob.take().get(0))).containsExactly("a/2", "a/1");
        h.tags.set("a/2", 5.0);
        h.sample();
        assertThat(paths(bob.take().get(0))).containsExactly("a/2");
    }

    /**
     * Found by attacking a running node (issue 14): connections.max is node-wide, so one identity could
     * hold every slot. An identity is the caller's user: one credential, wherever it connects from.
     */
    @Test
    void refusesAStreamBeyondConnectionsIdentityMaxWithOverloadedAndTakesItOnceOneCloses() {
        Harness h = new Harness(new StreamLimits(10, 64, 100, 1_000_000, 10, 100, 10, 1 << 20, 10, 15, 20, 100, 2,
                1_000_000, 20_000_000));
        Harness.Client first = h.connect("mallory");
        h.connect("mallory");
        assertThatThrownBy(() -> h.connect("mallory")).isInstanceOfSatisfying(NexusException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(e.getMessage()).contains("'mallory' has 2 streams open", "connections.identity.max");
            assertThat(e.retryAfter()).isPresent();
        });
        h.connect("alice");

        first.session().closed();
        h.connect("mallory");
        assertThat(h.engine.streams()).hasSize(3);
    }

    @Test
    void refusesASubscribeBeyondItemsNodeMaxWithOverloaded() {
        Harness h = new Harness(limits(4, 3));
        Harness.Client alice = h.connect("alice");
        Harness.Client bob = h.connect("bob");
        alice.says("{\"type\":\"subscribe\",\"paths\":[\"a/1\",\"a/2\"]}");
        h.settle();
        bob.says("{\"type\":\"subscribe\",\"id\":\"b\",\"paths\":[\"a/1\",\"a/2\"]}");
        h.settle();

        JsonNode refused = bob.take().get(0);
        assertThat(refused.get("code").asText()).isEqualTo("OVERLOADED");
        assertThat(refused.get("message").asText()).contains("follows 2 tags", "at most 3 (items.node.max)");
        assertThat(alice.take()).hasSize(1);

        alice.says("{\"type\":\"unsubscribe\",\"subscription\":\"s1\"}");
        bob.says("{\"type\":\"subscribe\",\"id\":\"b\",\"paths\":[\"a/1\",\"a/2\"]}");
        h.settle();
        assertThat(bob.take()).extracting(m -> m.get("type").asText()).containsExactly("data");
    }

    @Test
    void newLimitsApplyToConnectionsOpenedAfterThemAndOpenOnesGoOn() {
        Harness h = new Harness(limits(2, 1000));
        Harness.Client before = h.connect("alice");
        h.engine.reconfigure(limits(1, 1000));
        Harness.Client after = h.connect("bob");
        for (Harness.Client c : List.of(before, after)) {
            c.says("{\"type\":\"subscribe\",\"paths\":[\"a/1\"]}");
            c.says("{\"type\":\"subscribe\",\"paths\":[\"a/2\"]}");
        }
        h.settle();

        assertThat(before.take()).extracting(m -> m.get("type").asText()).containsExactly("data", "data");
        assertThat(after.take()).extracting(m -> m.get("type").asText()).containsExactlyInAnyOrder("data", "error");
        assertThat(before.client().closeCode).isNull();
    }

    @Test
    void closesOnlyTheStreamsThatFollowAlarmsWhenTheAlarmFeedIsReplaced() {
        Harness h = new Harness();
        AlarmRing ring = new AlarmRing(10);
        AlarmFeedFixture.Alarms service = new AlarmFeedFixture.Alarms();
        h.alarms = (requestId, id, filter, resume, caller, access, wake) -> AlarmSubscriptions.open(requestId, id, filter,
                resume, caller, access, service, ring, wake);
        Harness.Client alarms = h.connect("alice");
        Harness.Client tags = h.connect("bob");
        alarms.says("{\"type\":\"subscribe\",\"alarms\":{}}");
        tags.says("{\"type\":\"subscribe\",\"paths\":[\"a/1\"]}");
        h.settle();

        h.engine.closeAlarmStreams("the alarm feed restarted");

        assertThat(alarms.client().closeCode).isEqualTo(StreamClose.GOING_AWAY);
        assertThat(tags.client().closeCode).isNull();
    }

    @Test
    void opensNoStreamOnceStopped() {
        Harness h = new Harness();
        Harness.Client open = h.connect("alice");
        h.engine.stop();

        assertThat(open.client().closeCode).isEqualTo(StreamClose.GOING_AWAY);
        assertThatThrownBy(() -> h.connect("bob")).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE));
        assertThat(h.engine.streams()).isEmpty();
    }
}
