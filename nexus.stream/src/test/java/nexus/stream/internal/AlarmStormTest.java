package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmState;
import nexus.core.Severity;

/**
 * {@link AlarmSubscription#behind()} closes a client with 4008 only when its unsent events are at risk
 * and it does not catch up: one alarm storm of 90 % of the ring, seen by the housekeeping before the
 * dispatcher has made the client's messages, closes no client that reads.
 */
class AlarmStormTest {

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
        h.pass(250);
        h.pass(250);
        assertThat(c.client().closeCode).as("it read everything: nothing at risk").isNull();
    }
}
