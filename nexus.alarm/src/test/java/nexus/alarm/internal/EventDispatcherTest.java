package nexus.alarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
    void everySinkGetsEveryEventInOrder() throws InterruptedException {
        List<Long> first = new CopyOnWriteArrayList<>();
        List<Long> second = new CopyOnWriteArrayList<>();
        try (EventDispatcher dispatcher = new EventDispatcher(100)) {
            dispatcher.add(e -> first.add(e.sequence()), "first");
            dispatcher.add(e -> second.add(e.sequence()), "second");
            for (long i = 1; i <= 50; i++) {
                dispatcher.publish(event(i));
            }
            assertThat(dispatcher.drain(5000)).isTrue();
        }
        assertThat(first).hasSize(50).isSorted();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aStuckSinkNeitherBlocksThePublisherNorTheOtherSinksAndItsOverflowIsCounted() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch delivering = new CountDownLatch(1);
        List<Long> healthy = new CopyOnWriteArrayList<>();
        EventSink stuck = e -> {
            delivering.countDown();
            try {
                release.await();
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        };
        try (EventDispatcher dispatcher = new EventDispatcher(10)) {
            dispatcher.add(stuck, "stuck");
            dispatcher.add(e -> healthy.add(e.sequence()), "healthy");
            dispatcher.publish(event(1));
            assertThat(delivering.await(5, TimeUnit.SECONDS)).as("the stuck sink holds its first event").isTrue();
            for (long i = 2; i <= 1000; i++) {
                dispatcher.publish(event(i));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!healthy.contains(1000L) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            AlarmSummary.SinkStats stuckStats = dispatcher.stats().get(0);
            assertThat(stuckStats.name()).isEqualTo("stuck");
            assertThat(stuckStats.dropped()).as("1000 events, one in delivery, 10 queued").isEqualTo(989);
            assertThat(stuckStats.queued()).isEqualTo(10);
            assertThat(healthy).as("the newest events reach the healthy sink").contains(1000L);
            release.countDown();
        }
    }

    @Test
    void aSinkThatThrowsIsCountedAndStillGetsTheNextEvents() throws InterruptedException {
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (EventDispatcher dispatcher = new EventDispatcher(100)) {
            dispatcher.add(e -> {
                seen.add(e.sequence());
                if (e.sequence() % 2 == 0) {
                    throw new IllegalStateException("boom");
                }
            }, "flaky");
            for (long i = 1; i <= 10; i++) {
                dispatcher.publish(event(i));
            }
            assertThat(dispatcher.drain(5000)).isTrue();
            assertThat(dispatcher.stats().get(0).failed()).isEqualTo(5);
            assertThat(dispatcher.stats().get(0).delivered()).isEqualTo(5);
        }
        assertThat(seen).hasSize(10);
    }

    @Test
    void aRemovedSinkGetsNothingMore() throws InterruptedException {
        List<Long> seen = new CopyOnWriteArrayList<>();
        EventSink sink = e -> seen.add(e.sequence());
        try (EventDispatcher dispatcher = new EventDispatcher(100)) {
            dispatcher.add(sink, "s");
            dispatcher.publish(event(1));
            assertThat(dispatcher.drain(5000)).isTrue();
            dispatcher.remove(sink);
            dispatcher.publish(event(2));
            assertThat(dispatcher.stats()).isEmpty();
        }
        assertThat(seen).containsExactly(1L);
    }
}
