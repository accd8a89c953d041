package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.query.Quality;

class TagSubscriptionTest {

    private final Harness h = new Harness();

    private Harness.Client subscribed(String subscribe) {
        Harness.Client c = h.connect("alice");
        c.says(subscribe);
        h.settle();
        return c;
    }

    private static JsonNode only(List<JsonNode> messages) {
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    @Test
    void sendsTheSnapshotThenOnlyWhatChanged() {
        h.tags.add("a/t1").add("a/t2");
        Harness.Client c = subscribed("{\"type\":\"subscribe\",\"id\":\"1\",\"paths\":[\"a/t1\",\"a/t2\",\"a/none\"]}");

        JsonNode snapshot = only(c.take());
        assertThat(snapshot.get("type").asText()).isEqualTo("data");
        assertThat(snapshot.get("id").asText()).isEqualTo("1");
        assertThat(snapshot.get("subscription").asText()).isEqualTo("s1");
        assertThat(snapshot.get("seq").asLong()).isEqualTo(1);
        assertThat(snapshot.get("snapshot").asBoolean()).isTrue();
        assertThat(snapshot.get("registryVersion").asLong()).isEqualTo(1);
        assertThat(snapshot.get("items")).hasSize(3);
        JsonNode first = snapshot.get("items").get(0);
        assertThat(first.get("path").asText()).isEqualTo("a/t1");
        assertThat(first.get("type").asText()).isEqualTo("FLOAT32");
        assertThat(first.get("unit").asText()).isEqualTo("degC");
        assertThat(first.get("value").asDouble()).isEqualTo(0.0);
        assertThat(first.get("quality").asText()).isEqualTo("GOOD");
        assertThat(first.get("ts").asText()).isEqualTo("1970-01-01T00:00:01Z");
        assertThat(snapshot.get("items").get(2).get("quality").asText()).isEqualTo("BAD_NOT_IN_REGISTRY");

        h.sample();
        assertThat(c.take()).as("nothing changed, nothing sent").isEmpty();

        h.tags.set("a/t2", 5.5);
        h.sample();
        JsonNode data = only(c.take());
        assertThat(data.has("id")).isFalse();
        assertThat(data.has("snapshot")).isFalse();
        assertThat(data.get("seq").asLong()).isEqualTo(2);
        assertThat(data.get("items")).hasSize(1);
        assertThat(data.get("items").get(0).get("path").asText()).isEqualTo("a/t2");
        assertThat(data.get("items").get(0).get("value").asDouble()).isEqualTo(5.5);
        assertThat(data.get("items").get(0).has("type")).isFalse();
        assertThat(data.get("items").get(0).has("overflow")).isFalse();
    }

    @Test
    void absoluteDeadbandSendsOnlyMovesBeyondIt() {
        h.tags.add("a/t1");
        Harness.Client c = subscribed("{\"type\":\"subscribe\",\"id\":1,\"paths\":[\"a/t1\"],\"deadband\":{\"absolute\":0.5}}");
        assertThat(only(c.take()).get("id").asInt()).isEqualTo(1);

        h.tags.set("a/t1", 0.4);
        h.sample();
        h.tags.set("a/t1", 0.5);
        h.sample();
        assertThat(c.take()).as("within the band of the last value sent, 0.0").isEmpty();

        h.tags.set("a/t1", 0.6);
        h.sample();
        assertThat(only(c.take()).get("items").get(0).get("value").asDouble()).isEqualTo(0.6);
        h.tags.set("a/t1", 0.2);
        h.sample();
        assertThat(c.take()).isEmpty();
    }

    @Test
    void percentDeadbandIsOfTheEngineeringRange() {
        h.tags.add("a/ranged", 0.0, 200.0).add("a/unranged", null, null);
        Harness.Client c = subscribed("{\"type\":\"subscribe\",\"paths\":[\"a/ranged\",\"a/unranged\"],"
                + "\"deadband\":{\"percent\":1}}");
        c.take();

        h.tags.set("a/ranged", 1.9);
        h.tags.set("a/unranged", 0.1);
        h.sample();
        JsonNode data = only(c.take());
        assertThat(data.get("items")).as("1 % of 0–200 is 2; a tag without a range is not deadbanded").hasSize(1);
        assertThat(data.get("items").get(0).get("path").asText()).isEqualTo("a/unranged");

        h.tags.set("a/ranged", 2.1);
        h.sample();
        assertThat(only(c.take()).get("items").get(0).get("value").asDouble()).isEqualTo(2.1);
    }

    @Test
    void aChangeOfQualityPassesTheDeadband() {
        h.tags.add("a/t1");
        Harness.Client c = subscribed("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"],\"deadband\":{\"absolute\":100}}");
        c.take();

        h.tags.quality("a/t1", Quality.BAD_CONTENDED);
        h.sample();
        JsonNode bad = only(c.take()).get("items").get(0);
        assertThat(bad.get("quality").asText()).isEqualTo("BAD_CONTENDED");
        assertThat(bad.get("value").isNull()).isTrue();

        h.tags.set("a/t1", 0.1);
        h.sample();
        assertThat(only(c.take()).get("items").get(0).get("quality").asText()).isEqualTo("GOOD");
    }

    @Test
    void coalescesWhileTheClientIsPausedAndFlagsTheOverflow() {
        Harness small = new Harness(new StreamLimits(10, 4, 100, 1_000_000, 10, 100, 10, 1, 10, 15, 20, 100,
                64, 1_000_000, 20_000_000));
        small.tags.add("a/t1").add("a/t2");
        Harness.Client c = small.connect("alice");
        c.client().pause();
        c.says("{\"type\":\"subscribe\",\"id\":\"1\",\"paths\":[\"a/t1\",\"a/t2\"]}");
        small.settle();
        assertThat(c.take()).hasSize(1); // the snapshot, not yet written out: the 1-byte buffer is full

        for (int i = 1; i <= 10_000; i++) {
            small.tags.set("a/t1", (double) i);
            small.sample();
        }
        assertThat(c.take()).as("nothing is made while the buffer is full").isEmpty();
        var info = small.engine.streams().get(0).subscriptions().get(0);
        assertThat(info.queued()).as("memory bounded by the tags, not by the changes").isEqualTo(1);
        assertThat(info.overflows()).isEqualTo(9_999);

        c.client().resume();
        small.settle();
        JsonNode data = only(c.take());
        assertThat(data.get("seq").asLong()).isEqualTo(2);
        assertThat(data.get("items")).hasSize(1);
        JsonNode item = data.get("items").get(0);
        assertThat(item.get("value").asDouble()).isEqualTo(10_000.0);
        assertThat(item.get("overflow").asBoolean()).isTrue();

        small.tags.set("a/t1", 1.0);
        small.sample();
        assertThat(only(c.take()).get("items").get(0).has("overflow")).as("flagged once").isFalse();
    }

    @Test
    void aLargerQueueKeepsTheLatestValuesInOrder() {
        Harness small = new Harness(new StreamLimits(10, 4, 100, 1_000_000, 10, 100, 10, 1, 10, 15, 20, 100,
                64, 1_000_000, 20_000_000));
        small.tags.add("a/t1");
        Harness.Client c = small.connect("alice");
        c.client().pause();
        c.says("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"],\"queueSize\":3}");
        small.settle();
        for (int i = 1; i <= 5; i++) {
            small.tags.set("a/t1", (double) i);
            small.sample();
        }
        c.take();
        c.client().resume();
        small.settle();
        JsonNode items = only(c.take()).get("items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("value").asDouble()).isEqualTo(3.0);
        assertThat(items.get(0).get("overflow").asBoolean()).isTrue();
        assertThat(items.get(1).get("value").asDouble()).isEqualTo(4.0);
        assertThat(items.get(1).has("overflow")).isFalse();
        assertThat(items.get(2).get("value").asDouble()).isEqualTo(5.0);
    }

    @Test
    void numbersEachSubscriptionsMessagesConsecutively() {
        h.tags.add("a/t1").add("b/t1");
        Harness.Client c = h.connect("alice");
        c.says("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"]}");
        c.says("{\"type\":\"subscribe\",\"paths\":[\"b/t1\"],\"samplingMs\":500}");
        h.settle();
        for (int i = 1; i <= 5; i++) {
            h.tags.set("a/t1", (double) i);
            if (i % 2 == 0) {
                h.tags.set("b/t1", (double) i);
            }
            h.sample();
        }
        List<JsonNode> all = c.take();
        assertThat(all.stream().filter(m -> m.get("subscription").asText().equals("s1")).map(m -> m.get("seq").asLong()))
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(all.stream().filter(m -> m.get("subscription").asText().equals("s2")).map(m -> m.get("seq").asLong()))
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void maxRateCoalescesChangesBetweenMessages() {
        h.tags.add("a/t1");
        Harness.Client c = subscribed("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"],\"maxRate\":2}");
        c.take();
        h.tags.set("a/t1", 1.0);
        h.sample();
        h.tags.set("a/t1", 2.0);
        h.sample();
        assertThat(c.take()).as("half a second has not passed since the snapshot").isEmpty();

        h.ticker.nanos += 500_000_000L;
        h.sample();
        JsonNode item = only(c.take()).get("items").get(0);
        assertThat(item.get("value").asDouble()).isEqualTo(2.0);
        assertThat(item.get("overflow").asBoolean()).isTrue();
    }

    @Test
    void samplesAtTheRateItselfAllPassDespiteJitterButTheRateIsNeverExceeded() {
        h.tags.add("a/t1");
        Harness.Client c = subscribed("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"],\"maxRate\":10}");
        c.take();
        long[] jitteredMs = {96, 104, 97, 103, 95, 105, 98, 102, 96, 104};
        for (int i = 0; i < jitteredMs.length; i++) {
            h.ticker.nanos += jitteredMs[i] * 1_000_000L;
            h.tags.set("a/t1", 100.0 + i);
            h.sample();
        }
        assertThat(c.take()).as("ten samples 100 ms apart on average, each a little early or late").hasSize(10);

        int messages = 0;
        for (int ms = 0; ms < 2_000; ms++) {
            h.ticker.nanos += 1_000_000L;
            h.tags.set("a/t1", (double) ms);
            h.sample();
            messages += c.take().size();
        }
        assertThat(messages).as("a change every ms for 2 s at maxRate 10").isBetween(19, 21);
    }

    @Test
    void aPathSubscriptionIsToldWhichTagsCameAndWentBeforeTheNewVersionsData() {
        h.tags.add("a/t1").add("a/t2");
        Harness.Client c = subscribed("{\"type\":\"subscribe\",\"paths\":[\"a/t1\",\"a/t2\",\"a/t3\"]}");
        c.take();

        h.tags.newVersion(List.of("a/t3"), List.of("a/t2"));
        h.tags.set("a/t1", 7.0);
        h.sample();
        List<JsonNode> messages = c.take();
        assertThat(messages).extracting(m -> m.get("type").asText()).containsExactly("tags", "data");
        JsonNode tags = messages.get(0);
        assertThat(tags.get("seq").asLong()).isEqualTo(2);
        assertThat(tags.get("registryVersion").asLong()).isEqualTo(2);
        assertThat(tags.get("added")).hasSize(1);
        assertThat(tags.get("added").get(0).get("path").asText()).isEqualTo("a/t3");
        assertThat(tags.get("added").get(0).get("type").asText()).isEqualTo("FLOAT32");
        assertThat(tags.get("added").get(0).get("quality").asText()).isEqualTo("GOOD");
        assertThat(tags.get("removed")).extracting(JsonNode::asText).containsExactly("a/t2");
        assertThat(messages.get(1).get("items")).extracting(i -> i.get("path").asText()).containsExactly("a/t1");
    }

    @Test
    void aSqlSubscriptionRunsItsQueryAgainInANewRegistryVersion() {
        h.tags.add("a/t1").add("a/t2").add("b/t1");
        Harness.Client c = subscribed("{\"type\":\"subscribe\",\"id\":\"q\",\"sql\":\"prefix a/\"}");
        JsonNode snapshot = only(c.take());
        assertThat(snapshot.get("items")).extracting(i -> i.get("path").asText()).containsExactly("a/t1", "a/t2");

        h.tags.newVersion(List.of("a/t3"), List.of("a/t1"));
        h.sample();
        List<JsonNode> messages = c.take();
        assertThat(messages).extracting(m -> m.get("type").asText()).containsExactly("tags");
        assertThat(h.selects.get()).isEqualTo(2);
        JsonNode tags = messages.get(0);
        assertThat(tags.get("registryVersion").asLong()).isEqualTo(2);
        assertThat(tags.get("added")).extracting(i -> i.get("path").asText()).containsExactly("a/t3");
        assertThat(tags.get("removed")).extracting(JsonNode::asText).containsExactly("a/t1");
        assertThat(h.engine.streams().get(0).subscriptions().get(0).items()).isEqualTo(2);

        h.tags.set("a/t3", 3.0);
        h.tags.set("a/t2", 2.0);
        h.sample();
        JsonNode data = only(c.take());
        assertThat(data.get("seq").asLong()).isEqualTo(3);
        assertThat(data.get("items")).extracting(i -> i.get("path").asText()).containsExactlyInAnyOrder("a/t2", "a/t3");
        assertThat(h.engine.feeds().size()).as("the old answer's feed closed").isEqualTo(1);
    }

    @Test
    void subscriptionsWithTheSameAccessTagsAndSamplingShareOneFeed() {
        h.tags.add("a/t1").add("a/t2");
        Harness.Client one = subscribed("{\"type\":\"subscribe\",\"paths\":[\"a/t1\",\"a/t2\"]}");
        Harness.Client two = subscribed("{\"type\":\"subscribe\",\"paths\":[\"a/t1\",\"a/t2\"],\"deadband\":{\"absolute\":5}}");
        Harness.Client other = subscribed("{\"type\":\"subscribe\",\"paths\":[\"a/t1\",\"a/t2\"],\"samplingMs\":200}");
        assertThat(h.tags.watches.get()).isEqualTo(2);
        assertThat(h.engine.feeds().size()).isEqualTo(2);
        Feed shared = h.engine.feeds().get(new Feed.Key(nexus.core.Access.UNRESTRICTED, List.of("a/t1", "a/t2"), 100));
        assertThat(shared.members()).isEqualTo(2);
        long encodedBefore = shared.encoded();

        h.tags.set("a/t1", 1.0);
        h.sample();
        assertThat(shared.encoded() - encodedBefore).as("one encoding per changed value, whatever the subscribers")
                .isEqualTo(1);
        assertThat(one.take()).hasSize(2);
        assertThat(two.take()).as("its own deadband on the shared reading").hasSize(1);
        assertThat(other.take()).hasSize(2);

        one.says("{\"type\":\"unsubscribe\",\"subscription\":\"s1\"}");
        two.session().closed();
        h.settle();
        assertThat(h.engine.feeds().size()).as("the last to leave closed the watch").isEqualTo(1);
        assertThat(h.scheduling.periodicTasks()).isEqualTo(1);
    }

    @Test
    void aFailingPollIsCountedAndTriedAgain() {
        h.tags.add("a/t1");
        Harness.Client c = subscribed("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"]}");
        c.take();
        h.tags.failPolls(new nexus.core.NexusException(nexus.core.ErrorCode.BACKEND_UNAVAILABLE, "no registry"));
        h.sample();
        h.sample();
        assertThat(h.engine.counters().sampleFailures.sum()).isEqualTo(2);

        h.tags.failPolls(null);
        h.tags.set("a/t1", 4.0);
        h.sample();
        assertThat(only(c.take()).get("items").get(0).get("value").asDouble()).isEqualTo(4.0);
    }

    @Test
    void anIdlePlantEncodesNothing() {
        h.tags.add("a/t1");
        subscribed("{\"type\":\"subscribe\",\"paths\":[\"a/t1\"]}").take();
        Feed feed = h.engine.feeds().get(new Feed.Key(nexus.core.Access.UNRESTRICTED, List.of("a/t1"), 100));
        long encoded = feed.encoded();
        for (int i = 0; i < 100; i++) {
            h.sample();
        }
        assertThat(feed.encoded()).isEqualTo(encoded);
    }

    @Test
    void feedsWatchAnewThroughAnotherTagServiceAndSendOnlyWhatDiffers() {
        h.tags.add("a/t1").add("a/t2");
        Harness.Client c = subscribed("{\"type\":\"subscribe\",\"paths\":[\"a/t1\",\"a/t2\"]}");
        c.take();
        FakeTags replacement = new FakeTags().add("a/t1").add("a/t2");
        replacement.set("a/t2", 8.0);
        h.service = replacement;
        h.pass(250);
        h.sample();
        JsonNode data = only(c.take());
        assertThat(data.get("items")).extracting(i -> i.get("path").asText()).containsExactly("a/t2");
        assertThat(replacement.watches.get()).isEqualTo(1);
        assertThat(replacement.polls.get()).isEqualTo(1);
    }

    @Test
    void aSqlSubscriptionWhoseQueryFailsInTheNewVersionKeepsItsTags() {
        h.tags.add("a/t1").add("a/t2");
        Harness.Client c = subscribed("{\"type\":\"subscribe\",\"id\":\"q\",\"sql\":\"prefix a/\"}");
        c.take();
        h.queryFailure = new nexus.core.NexusException(nexus.core.ErrorCode.QUERY_TIMEOUT, "ran past 5000 ms");
        h.tags.newVersion(List.of("a/t3"), List.of());
        h.tags.set("a/t1", 1.0);
        h.sample();
        List<JsonNode> messages = c.take();
        assertThat(messages).extracting(m -> m.get("type").asText()).containsExactly("error", "tags", "data");
        assertThat(messages.get(0).get("id").isNull()).isTrue();
        assertThat(messages.get(0).get("code").asText()).isEqualTo("QUERY_TIMEOUT");
        assertThat(messages.get(0).get("message").asText()).contains("subscription s1 keeps its tags");
        assertThat(messages.get(1).get("added")).isEmpty();
        assertThat(messages.get(1).get("registryVersion").asLong()).isEqualTo(2);
        assertThat(messages.get(2).get("items")).extracting(i -> i.get("path").asText()).containsExactly("a/t1");

        h.queryFailure = null;
        h.tags.newVersion(List.of(), List.of());
        h.sample();
        JsonNode tags = only(c.take());
        assertThat(tags.get("added")).extracting(i -> i.get("path").asText()).containsExactly("a/t3");
    }
}
