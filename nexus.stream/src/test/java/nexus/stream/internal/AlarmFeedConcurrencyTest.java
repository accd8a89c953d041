package nexus.stream.internal;

import static nexus.stream.internal.AlarmFeedFixture.ALICE;
import static nexus.stream.internal.AlarmFeedFixture.json;
import static nexus.stream.internal.AlarmFeedFixture.transition;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmState;
import nexus.core.Access;
import nexus.core.Severity;

/**
 * The alarm scan publishes on its thread while a connection takes messages on another, sleeping
 * between its wakes: every event arrives once, in order, and no wake is lost.
 */
class AlarmFeedConcurrencyTest {

    private static final int EVENTS = 50_000;

    @Test
    void deliversEveryEventOnceInOrderWhilePublishingGoesOn() throws InterruptedException {
        AlarmRing ring = new AlarmRing(EVENTS); // no event can leave the ring: only the hand-over is tested
        Semaphore woken = new Semaphore(0);
        Subscription subscription = AlarmSubscriptions.open(json("\"1\""), "s1", json("{}"), null, ALICE,
                () -> Access.UNRESTRICTED, new AlarmFeedFixture.Alarms(), ring, woken::release);
        List<Long> received = new ArrayList<>();
        Thread connection = new Thread(() -> {
            subscription.next(0); // the list
            try {
                while (received.size() < EVENTS) {
                    for (Subscription.Outgoing next; (next = subscription.next(0)) != null;) {
                        received.add(Long.parseLong(next.resumeId().substring(ring.run().length() + 1)));
                    }
                    if (received.size() < EVENTS && !woken.tryAcquire(30, TimeUnit.SECONDS)) {
                        return; // a lost wake: the assertion below names how far it got
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nexus-stream-test-connection");
        connection.start();

        for (int n = 1; n <= EVENTS; n++) {
            ring.publish(transition("site1/tank" + (n % 100) + "/level", Severity.HIGH, AlarmState.NORMAL,
                    AlarmState.UNACK_ALARM));
        }
        connection.join(60_000);

        assertThat(connection.isAlive()).isFalse();
        assertThat(received).hasSize(EVENTS);
        assertThat(received).isEqualTo(LongStream.rangeClosed(1, EVENTS).boxed().toList());
        assertThat(subscription.sequence()).isEqualTo(EVENTS + 1L);
    }
}
