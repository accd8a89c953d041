package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.Caller;
import nexus.core.MetricFamily;

/**
 * Found by attacking a running node (issue 14): one viewer had both cores sampling, with 64
 * subscriptions of 9,000 tags at 10 to 73 ms whose deadband let nothing through (so it never became a
 * slow consumer). Sampling now has a budget in tag samples a second ({@code tags × 1000 / samplingMs}):
 * per connection over its subscriptions, and over the node's feeds, where a shared feed counts once.
 */
class SamplingBudgetTest {

    private static StreamLimits limits(long samplesConnectionMax, long samplesNodeMax) {
        return new StreamLimits(10, 64, 100, 1_000_000, 10, 100, 10, 1 << 20, 10, 15, 20, 100, 64, samplesConnectionMax,
                samplesNodeMax);
    }

    /** @return a subscribe to {@code a/0} … {@code a/(tags-1)} every {@code samplingMs} */
    private static String subscribe(String id, int tags, int samplingMs) {
        String paths = String.join(",", IntStream.range(0, tags).mapToObj(i -> "\"a/" + i + "\"").toList());
        return "{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"paths\":[" + paths + "],\"samplingMs\":" + samplingMs + "}";
    }

    private static JsonNode answer(Harness h, Harness.Client client) {
        h.settle();
        List<JsonNode> messages = client.take();
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    @Test
    void refusesASubscribeBeyondTheConnectionsSamplingBudgetSayingWhatToDo() {
        Harness h = new Harness(limits(1000, 1_000_000));
        Harness.Client alice = h.connect("alice");
        alice.says(subscribe("1", 10, 10)); // 1,000 a second: the whole budget
        assertThat(answer(h, alice).path("type").asText()).isEqualTo("data");

        alice.says(subscribe("2", 1, 1000));
        JsonNode refused = answer(h, alice);
        assertThat(refused.path("code").asText()).isEqualTo("OVERLOADED");
        assertThat(refused.path("message").asText()).contains("samples.connection.max", "1 tags every 1000 ms",
                "1,000 already", "fewer tags", "longer samplingMs");

        Harness.Client bob = h.connect("bob");
        bob.says(subscribe("1", 10, 10));
        assertThat(answer(h, bob).path("type").asText()).as("another connection has its own budget").isEqualTo("data");

        alice.says("{\"type\":\"unsubscribe\",\"id\":\"u\",\"subscription\":\"s1\"}");
        h.settle();
        alice.take();
        alice.says(subscribe("3", 1, 1000));
        assertThat(answer(h, alice).path("type").asText()).as("once it follows less").isEqualTo("data");
    }

    @Test
    void countsASharedFeedOnceAgainstTheNodesSamplingBudget() {
        Harness h = new Harness(limits(1_000_000, 1500));
        Harness.Client alice = h.connect("alice");
        Harness.Client bob = h.connect("bob");
        Harness.Client carol = h.connect("carol");
        alice.says(subscribe("1", 10, 10)); // 1,000 a second
        bob.says(subscribe("1", 10, 10)); // the same feed: nothing more
        carol.says(subscribe("1", 10, 20)); // 500 a second: the budget is used up
        assertThat(answer(h, alice).path("type").asText()).isEqualTo("data");
        assertThat(answer(h, bob).path("type").asText()).isEqualTo("data");
        assertThat(answer(h, carol).path("type").asText()).isEqualTo("data");
        assertThat(samplesPerSecond(h)).isEqualTo(1500);

        Harness.Client dave = h.connect("dave");
        dave.says(subscribe("1", 1, 1000));
        JsonNode refused = answer(h, dave);
        assertThat(refused.path("code").asText()).isEqualTo("OVERLOADED");
        assertThat(refused.path("message").asText()).contains("samples.node.max", "samples 1,500 tags a second",
                "would add 1", "share one feed");

        alice.says("{\"type\":\"unsubscribe\",\"id\":\"u\",\"subscription\":\"s1\"}");
        bob.says("{\"type\":\"unsubscribe\",\"id\":\"u\",\"subscription\":\"s1\"}");
        h.settle();
        assertThat(samplesPerSecond(h)).as("the last member closed the feed and gave its rate back").isEqualTo(500);
        dave.says(subscribe("2", 1, 1000));
        assertThat(answer(h, dave).path("type").asText()).isEqualTo("data");
    }

    /** The benchmark's case: 1,000 clients following the same 1,000 tags every 20 ms are one feed of 50,000 a second. */
    @Test
    void aThousandClientsOfTheSameThousandTagsFitTheDefaultsEasily() {
        FakeTags tags = new FakeTags();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tags.add("a/" + i);
            paths.add("a/" + i);
        }
        StreamCounters counters = new StreamCounters();
        Feeds feeds = new Feeds(() -> tags, () -> null, new Harness.ManualScheduling(), counters);
        StreamLimits defaults = StreamLimits.DEFAULTS;
        for (int client = 0; client < 1000; client++) {
            SampleRate.checkConnection(List.of(), paths.size(), 20, defaults.samplesConnectionMax());
            feeds.join(Caller.of("user" + client, "test"), paths, 20, new Feed.Member() {
                @Override
                public void attached(Feed feed, Fragment[] latest, long version) {
                }

                @Override
                public void sampled(Feed feed, List<Fragment> data, Feed.VersionChange change) {
                }
            }, Feeds.NodeBudget.of(defaults));
        }
        assertThat(feeds.size()).isEqualTo(1);
        assertThat(counters.sampling.get() / SampleRate.UNIT).isEqualTo(50_000).isLessThan(defaults.samplesNodeMax() / 100);
    }

    private static double samplesPerSecond(Harness h) {
        return h.engine.metrics().stream().filter(f -> f.name().equals("nexus_stream_samples_per_second"))
                .map(MetricFamily::samples).findFirst().orElseThrow().get(0).value();
    }
}
