package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.core.Caller;
import nexus.query.Deadband;

/**
 * A SQL subscription that {@linkplain TagSubscription#rebind rebinds} is attached to its new feed (items
 * re-indexed) before it leaves the old one. A poll of the old feed in that window hands it fragments
 * indexed in the old feed's path list: it ignores them, and the old feed's other members get them.
 * A member that throws does not keep a change from the others.
 */
class TagSubscriptionRebindRaceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs periodic tasks when the test ticks; as ThreadScheduling, a task that throws is logged (here: kept). */
    private static final class HookedScheduling implements Scheduling {
        final List<Runnable> periodic = new CopyOnWriteArrayList<>();
        final List<RuntimeException> failures = new ArrayList<>();
        /** Run once, when the next periodic task is registered (what another sampler thread may do then). */
        Runnable onNextEvery;

        @Override
        public Periodic every(long periodMillis, Runnable task) {
            Runnable hook = onNextEvery;
            onNextEvery = null;
            if (hook != null) {
                hook.run();
            }
            periodic.add(task);
            return () -> periodic.remove(task);
        }

        @Override
        public Executor requests() {
            return Runnable::run;
        }

        void tick() {
            for (Runnable task : periodic) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
        }
    }

    @Test
    void aPollOfTheOldFeedDuringARebindNeitherFailsNorStealsAnotherClientsChange() throws Exception {
        FakeTags tags = new FakeTags();
        tags.add("a/1").add("a/2").add("a/3");
        HookedScheduling scheduling = new HookedScheduling();
        StreamCounters counters = new StreamCounters();
        Feeds feeds = new Feeds(() -> tags, () -> null, scheduling, counters);
        Caller alice = Caller.of("alice", "test");
        Caller bob = Caller.of("bob", "test");
        List<String> paths = List.of("a/1", "a/2", "a/3");
        List<TagSubscription> requeried = new ArrayList<>();
        TagSubscription sql = TagSubscription.open("s1", new TagRequest(null, "prefix a/", List.of(), null, 100,
                Deadband.NONE, 1, 0), paths, alice, feeds, () -> { }, requeried::add, counters, Feeds.NodeBudget.UNBOUNDED);
        TagSubscription other = TagSubscription.open("s1", new TagRequest(null, null, List.of(), paths, 100,
                Deadband.NONE, 1, 0), paths, bob, feeds, () -> { }, null, counters, Feeds.NodeBudget.UNBOUNDED);
        assertThat(feeds.size()).as("both share one feed").isEqualTo(1);
        sql.next(0);
        other.next(0);

        tags.newVersion(List.of(), List.of("a/1", "a/2"));
        scheduling.tick();
        assertThat(requeried).containsExactly(sql);
        assertThat(type(other.next(0))).isEqualTo("tags");

        tags.set("a/3", 7.0);
        Runnable oldFeedPoll = scheduling.periodic.get(0);
        scheduling.onNextEvery = () -> {
            try {
                oldFeedPoll.run(); // the old feed's sampler tick, between join (attached) and leave
            } catch (RuntimeException e) {
                scheduling.failures.add(e);
            }
        };
        sql.rebind(List.of("a/3"));

        assertThat(scheduling.failures).as("the old feed's poll failed inside a member").isEmpty();
        Subscription.Outgoing data = other.next(0);
        assertThat(data).as("bob's subscription, on the old feed, got a/3's change").isNotNull();
        assertThat(JSON.readTree(data.json()).get("items").get(0).get("value").asDouble()).isEqualTo(7.0);
    }

    @Test
    void aMemberThatThrowsDoesNotKeepAChangeFromTheOthers() throws Exception {
        FakeTags tags = new FakeTags();
        tags.add("a/1");
        HookedScheduling scheduling = new HookedScheduling();
        StreamCounters counters = new StreamCounters();
        Feeds feeds = new Feeds(() -> tags, () -> null, scheduling, counters);
        feeds.join(Caller.of("carol", "test"), List.of("a/1"), 100, new Feed.Member() {
            @Override
            public void attached(Feed feed, Fragment[] latest, long version) {
            }

            @Override
            public void sampled(Feed feed, List<Fragment> data, Feed.VersionChange change) {
                throw new IllegalStateException("a bug in one member");
            }
        }, Feeds.NodeBudget.UNBOUNDED);
        TagSubscription other = TagSubscription.open("s1", new TagRequest(null, null, List.of(), List.of("a/1"), 100,
                Deadband.NONE, 1, 0), List.of("a/1"), Caller.of("bob", "test"), feeds, () -> { }, null, counters,
                Feeds.NodeBudget.UNBOUNDED);
        other.next(0);

        tags.set("a/1", 3.0);
        scheduling.tick();

        assertThat(scheduling.failures).isEmpty();
        assertThat(counters.memberFailures.sum()).isEqualTo(1);
        Subscription.Outgoing data = other.next(0);
        assertThat(data).isNotNull();
        assertThat(JSON.readTree(data.json()).get("items").get(0).get("value").asDouble()).isEqualTo(3.0);
    }

    private static String type(Subscription.Outgoing message) throws Exception {
        JsonNode node = JSON.readTree(message.json());
        return node.get("type").asText();
    }
}
