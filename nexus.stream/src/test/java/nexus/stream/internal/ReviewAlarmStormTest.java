package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmState;
import nexus.core.Severity;
import nexus.stream.StreamClose;

/**
 * Review of issue 14: {@link AlarmSubscription#behind()} counts events not yet taken, not events at risk.
 * One alarm storm of 90 % of the ring (the AlarmRing javadoc sizes a storm at 10,000 events, the default
 * ring holds 10,000) closes every alarm subscriber with 4008 at the next housekeeping, before the single
 * dispatcher thread has made their messages, although nothing is published after it and every event is
 * still in the ring. A resumed client is then closed again while the backlog stays above the margin.
 */
class ReviewAlarmStormTest {

    @Test
    void aStormThatFitsInTheRingDoesNotCloseAClientThatReads() {
        Harness h = new Harness();
        AlarmRing ring = new AlarmRing(100);
        AlarmFeedFixture.Alarms service = new AlarmFeedFixture.Alarms();
        h.alarms = (requestId, id, filter, resume, caller, access, wake) -> AlarmSubscriptions.open(requestId, id, filter,
                resume, caller, access, service, ring, wake);
        Harness.Client c = h.connect("alice");
        c.says("{\"type\":\"subscribe\",\"id\":\"a\",\"alarms\":{}}");
        h.settle();
        assertThat(c.take()).hasSize(1);

        for (int i = 0; i < 91; i++) { // one scan's storm; nothing is published after it
            ring.publish(AlarmFeedFixture.transition("site1/t" + i, Severity.HIGH, AlarmState.NORMAL,
                    AlarmState.UNACK_ALARM));
        }
        h.pass(250); // housekeeping runs while the dispatcher has the storm to send

        assertThat(c.client().closeCode).as("every event is still in the ring and the client reads").isNull();
        assertThat(c.take()).hasSize(91);
        assertThat(c.client().closeCode).isNotEqualTo(StreamClose.SLOW_CONSUMER);
    }
}
