package nexus.stream.internal;

import static nexus.stream.internal.AlarmFeedFixture.transition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmState;
import nexus.core.Severity;

class AlarmRingTest {

    private static AlarmEvent event(int n) {
        return transition("site1/tank" + n + "/level", Severity.HIGH, AlarmState.NORMAL, AlarmState.UNACK_ALARM);
    }

    @Test
    void numbersEventsOneTwoThreeInPublishOrder() {
        AlarmRing ring = new AlarmRing(10);
        assertThat(ring.last()).isZero();
        for (int n = 1; n <= 3; n++) {
            ring.publish(event(n));
        }

        assertThat(ring.last()).isEqualTo(3);
        assertThat(LongStream.rangeClosed(1, 3).mapToObj(ring::entry).map(e -> e.event().tag()))
                .containsExactly("site1/tank1/level", "site1/tank2/level", "site1/tank3/level");
        assertThat(ring.entry(2).sequence()).isEqualTo(2);
    }

    @Test
    void hasNoEventBeforeTheFirstNorAfterTheLast() {
        AlarmRing ring = new AlarmRing(10);
        ring.publish(event(1));

        assertThat(ring.entry(0)).isNull();
        assertThat(ring.entry(2)).isNull();
    }

    @Test
    void keepsTheLastSizeEventsWhenItWraps() {
        AlarmRing ring = new AlarmRing(4);
        for (int n = 1; n <= 10; n++) {
            ring.publish(event(n));
        }

        assertThat(ring.oldest()).isEqualTo(7);
        assertThat(ring.entry(6)).as("overwritten").isNull();
        assertThat(LongStream.rangeClosed(7, 10).mapToObj(ring::entry).map(e -> e.event().tag()))
                .containsExactly("site1/tank7/level", "site1/tank8/level", "site1/tank9/level", "site1/tank10/level");
    }

    @Test
    void holdsEveryEventAfterAPositionOnlyWhileNoneAfterItWasOverwritten() {
        AlarmRing ring = new AlarmRing(4);
        assertThat(ring.holdsAfter(0)).as("nothing published: nothing missed").isTrue();
        for (int n = 1; n <= 10; n++) {
            ring.publish(event(n));
        }

        assertThat(ring.holdsAfter(6)).isTrue();
        assertThat(ring.holdsAfter(10)).isTrue();
        assertThat(ring.holdsAfter(5)).as("7 is the oldest kept: 6 is lost").isFalse();
        assertThat(ring.holdsAfter(11)).as("never published").isFalse();
    }

    @Test
    void hasARandomRunIdPerInstance() {
        AlarmRing one = new AlarmRing(4);
        AlarmRing other = new AlarmRing(4);

        assertThat(UUID.fromString(one.run()).toString()).isEqualTo(one.run());
        assertThat(one.run()).isNotEqualTo(other.run());
    }

    @Test
    void refusesASizeBelowOne() {
        assertThatThrownBy(() -> new AlarmRing(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alarm.ring.size is 0");
    }

    @Test
    void wakesAWaitingReaderOnceByTheNextEventNotByEveryEvent() {
        AlarmRing ring = new AlarmRing(10);
        AtomicInteger wakes = new AtomicInteger();
        ring.wakeAfter(0, wakes::incrementAndGet);
        assertThat(wakes).as("nothing after 0 yet").hasValue(0);

        ring.publish(event(1));
        ring.publish(event(2));

        assertThat(wakes).hasValue(1);
    }

    @Test
    void wakesAtOnceAReaderThatWaitsForAnEventAlreadyPublished() {
        AlarmRing ring = new AlarmRing(10);
        ring.publish(event(1));
        AtomicInteger wakes = new AtomicInteger();

        ring.wakeAfter(0, wakes::incrementAndGet);

        assertThat(wakes).hasValue(1);
    }

    @Test
    void forgetsAReaderThatEndedWhileWaiting() {
        AlarmRing ring = new AlarmRing(10);
        AtomicInteger wakes = new AtomicInteger();
        Subscription.Wake wake = wakes::incrementAndGet;
        ring.wakeAfter(0, wake);

        ring.forget(wake);
        ring.publish(event(1));

        assertThat(wakes).hasValue(0);
    }

    @Test
    void neverGivesAReaderAnotherEventThanTheOneItAsksForWhileTheRingWraps() throws InterruptedException {
        AlarmRing ring = new AlarmRing(16);
        int events = 200_000;
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (ring.last() < events && wrong.get() == null) {
                long wanted = Math.max(1, ring.last() - 8);
                AlarmRing.Entry entry = ring.entry(wanted);
                if (entry != null && !entry.event().tag().equals("site1/tank" + wanted + "/level")) {
                    wrong.set("asked for " + wanted + ", got " + entry.event().tag());
                }
            }
        }, "nexus-stream-test-reader");
        reader.start();
        for (int n = 1; n <= events; n++) {
            ring.publish(event(n));
        }
        reader.join(60_000);

        assertThat(reader.isAlive()).isFalse();
        assertThat(wrong.get()).isNull();
        assertThat(ring.last()).isEqualTo(events);
    }
}
