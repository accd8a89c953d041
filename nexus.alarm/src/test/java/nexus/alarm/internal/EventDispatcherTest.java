package nexus.alarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmState;
import nexus.alarm.AlarmSummary;
import nexus.alarm.EventSink;
import nexus.core.Severity;

class EventDispatcherTest {

    private static AlarmEvent event(long sequence) {
        return new AlarmEvent(sequence, Instant.EPOCH, AlarmEventType.ACTIVATED, AlarmEvent.Kind.ALARM, "a", "t", 1.0,
                Severity.LOW, AlarmState.NORMAL, AlarmState.UNACK_ALARM, null, null, null, null, null);
    }

    @Test
    void everySinkGetsEveryEventInOrder() {
        List<Long> first = new ArrayList<>();
        List<Long> second = new ArrayList<>();
        EventDispatcher dispatcher = new EventDispatcher();
        dispatcher.add(e -> first.add(e.sequence()), "first");
        dispatcher.add(e -> second.add(e.sequence()), "second");
        for (long i = 1; i <= 50; i++) {
            dispatcher.accept(event(i));
        }
        assertThat(first).hasSize(50).isSorted();
        assertThat(second).isEqualTo(first);
        assertThat(dispatcher.stats()).extracting(AlarmSummary.SinkStats::delivered).containsExactly(50L, 50L);
    }

    @Test
    void eachSinkIsCalledInlineOnThePublishingThreadWithNoQueueOfTheDispatcher() {
        List<Thread> threads = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        EventDispatcher dispatcher = new EventDispatcher();
        dispatcher.add(e -> {
            threads.add(Thread.currentThread());
            seen.add(e.sequence());
        }, "inline");

        dispatcher.accept(event(7));

        assertThat(seen).as("taken before accept returns").containsExactly(7L);
        assertThat(threads).containsExactly(Thread.currentThread());
    }

    @Test
    void aSinkThatThrowsIsCountedAndNeitherStopsTheNextEventsNorTheOtherSinks() {
        List<Long> seen = new ArrayList<>();
        List<Long> healthy = new ArrayList<>();
        EventDispatcher dispatcher = new EventDispatcher();
        dispatcher.add(e -> {
            seen.add(e.sequence());
            if (e.sequence() % 2 == 0) {
                throw new IllegalStateException("boom");
            }
        }, "flaky");
        dispatcher.add(e -> {
            throw new AssertionError("an Error, even");
        }, "broken");
        dispatcher.add(e -> healthy.add(e.sequence()), "healthy");
        for (long i = 1; i <= 10; i++) {
            dispatcher.accept(event(i));
        }
        assertThat(seen).hasSize(10);
        assertThat(healthy).hasSize(10);
        List<AlarmSummary.SinkStats> stats = dispatcher.stats();
        assertThat(stats).extracting(AlarmSummary.SinkStats::name).containsExactly("flaky", "broken", "healthy");
        assertThat(stats).extracting(AlarmSummary.SinkStats::failed).containsExactly(5L, 10L, 0L);
        assertThat(stats).extracting(AlarmSummary.SinkStats::delivered).containsExactly(5L, 0L, 10L);
    }

    @Test
    void aRemovedSinkGetsNothingMore() {
        List<Long> seen = new ArrayList<>();
        EventSink sink = e -> seen.add(e.sequence());
        EventDispatcher dispatcher = new EventDispatcher();
        dispatcher.add(sink, "s");
        dispatcher.accept(event(1));
        dispatcher.remove(sink);
        dispatcher.accept(event(2));
        assertThat(dispatcher.stats()).isEmpty();
        assertThat(seen).containsExactly(1L);
    }
}
