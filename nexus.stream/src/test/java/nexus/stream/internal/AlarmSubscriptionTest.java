package nexus.stream.internal;

import static nexus.stream.internal.AlarmFeedFixture.ALICE;
import static nexus.stream.internal.AlarmFeedFixture.acknowledgement;
import static nexus.stream.internal.AlarmFeedFixture.alarm;
import static nexus.stream.internal.AlarmFeedFixture.drain;
import static nexus.stream.internal.AlarmFeedFixture.json;
import static nexus.stream.internal.AlarmFeedFixture.reads;
import static nexus.stream.internal.AlarmFeedFixture.transition;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmState;
import nexus.core.Access;
import nexus.core.Severity;
import nexus.stream.StreamInfo.SubscriptionInfo;

class AlarmSubscriptionTest {

    private final AlarmFeedFixture.Alarms service = new AlarmFeedFixture.Alarms();
    private final AtomicInteger wakes = new AtomicInteger();
    private volatile Access access = Access.UNRESTRICTED;
    private AlarmRing ring = new AlarmRing(100);

    private Subscription open(String alarms, String resume) {
        return AlarmSubscriptions.open(json("\"7\""), "s2", json(alarms), resume == null ? null : json(resume), ALICE,
                () -> access, service, ring, wakes::incrementAndGet);
    }

    private Subscription openAndTakeFirst(String alarms) {
        Subscription subscription = open(alarms, null);
        subscription.next(0);
        return subscription;
    }

    private static AlarmEvent raised(String tag) {
        return transition(tag, Severity.HIGH, AlarmState.NORMAL, AlarmState.UNACK_ALARM);
    }

    private void publish(int count) {
        for (int n = 1; n <= count; n++) {
            ring.publish(raised("site1/tank" + n + "/level"));
        }
    }

    private static List<Long> sequences(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("sequence").asLong()).toList();
    }

    @Test
    void startsWithTheCurrentListAtTheFeedPositionTakenBeforeIt() {
        service.alarms.add(alarm("site1/tank1/level", Severity.HIGH, AlarmState.UNACK_ALARM));
        service.alarms.add(alarm("site1/tank2/level", Severity.LOW, AlarmState.NORMAL));
        publish(3);

        Subscription subscription = open("{}", null);
        Subscription.Outgoing first = subscription.next(0);
        JsonNode message = json(first.json());

        assertThat(message.get("type").asText()).isEqualTo("alarms");
        assertThat(message.get("id").asText()).isEqualTo("7");
        assertThat(message.get("subscription").asText()).isEqualTo("s2");
        assertThat(message.get("seq").asLong()).isEqualTo(1);
        assertThat(message.get("run").asText()).isEqualTo(ring.run());
        assertThat(message.get("sequence").asLong()).isEqualTo(3);
        assertThat(message.get("resumed").asBoolean()).isFalse();
        assertThat(message.has("gap")).isFalse();
        assertThat(message.get("alarms").findValuesAsText("name")).containsExactly("site1/tank1/level/hi",
                "site1/tank2/level/hi");
        assertThat(message.get("alarms").get(0).get("state").asText()).isEqualTo("UNACK_ALARM");
        assertThat(first.resumeId()).isEqualTo(ring.run() + ":3");
        assertThat(subscription.sequence()).isEqualTo(1);
        assertThat(subscription.next(0)).as("nothing happened since").isNull();
    }

    @Test
    void anAlarmThatCannotBeEvaluatedAnyMoreReachesTheSubscribersOfItsStateWithItsQuality() {
        Subscription unacked = openAndTakeFirst("{\"states\": [\"UNACK_ALARM\"]}");
        Subscription normal = openAndTakeFirst("{\"states\": [\"NORMAL\"]}");

        ring.publish(new AlarmEvent(4, AlarmFeedFixture.T0, AlarmEventType.QUALITY_CHANGED, AlarmEvent.Kind.ALARM,
                "site1/tank1/level/hi", "site1/tank1/level", 93.5, Severity.HIGH, AlarmState.UNACK_ALARM,
                AlarmState.UNACK_ALARM, null, "STALE: the value is the last one sparkplug plant/nexus1 sent and is not"
                        + " current", null, null, null));

        List<JsonNode> messages = drain(unacked);
        assertThat(messages).singleElement().satisfies(m -> {
            JsonNode event = m.get("event");
            assertThat(event.get("event").asText()).isEqualTo("QUALITY_CHANGED");
            assertThat(event.get("kind").asText()).isEqualTo("alarm");
            assertThat(event.get("before").asText()).isEqualTo("UNACK_ALARM");
            assertThat(event.get("after").asText()).isEqualTo("UNACK_ALARM");
            assertThat(event.get("value").asDouble()).isEqualTo(93.5);
            assertThat(event.get("comment").asText()).startsWith("STALE: the value is the last one");
            assertThat(event.get("sequence").asLong()).isEqualTo(4);
        });
        assertThat(drain(normal)).as("its state is not the one followed").isEmpty();
    }

    @Test
    void sendsAnEventThatHappensWhileTheListIsTakenAfterIt() {
        service.meanwhile = () -> ring.publish(raised("site1/tank9/level"));

        List<JsonNode> messages = drain(open("{}", null));

        assertThat(messages).extracting(m -> m.get("type").asText()).containsExactly("alarms", "alarm");
        assertThat(messages.get(0).get("sequence").asLong()).isZero();
        assertThat(messages.get(1).get("sequence").asLong()).isEqualTo(1);
    }

    @Test
    void sendsOneAlarmMessagePerEventInOrderWithTheFeedPositionAndTheLokiFields() {
        Subscription subscription = openAndTakeFirst("{}");
        ring.publish(raised("site1/tank1/level"));
        ring.publish(acknowledgement("site1/tank1/level", 7));

        Subscription.Outgoing raisedMessage = subscription.next(0);
        List<JsonNode> rest = drain(subscription);
        JsonNode raised = json(raisedMessage.json());
        JsonNode acked = rest.get(0);

        assertThat(raised.get("type").asText()).isEqualTo("alarm");
        assertThat(raised.get("subscription").asText()).isEqualTo("s2");
        assertThat(raised.get("seq").asLong()).isEqualTo(2);
        assertThat(raised.get("run").asText()).isEqualTo(ring.run());
        assertThat(raised.get("sequence").asLong()).isEqualTo(1);
        assertThat(raised.get("time").asText()).isEqualTo("2026-12-06T15:04:18.002Z");
        assertThat(raised.get("event").get("event").asText()).isEqualTo("ACTIVATED");
        assertThat(raised.get("event").get("kind").asText()).isEqualTo("alarm");
        assertThat(raised.get("event").get("value").asDouble()).isEqualTo(93.5);
        assertThat(raisedMessage.resumeId()).isEqualTo(ring.run() + ":1");
        assertThat(rest).hasSize(1);
        assertThat(acked.get("seq").asLong()).isEqualTo(3);
        assertThat(acked.get("sequence").asLong()).isEqualTo(2);
        assertThat(acked.get("event").get("kind").asText()).isEqualTo("audit");
        assertThat(acked.get("event").get("user").asText()).isEqualTo("alice");
        assertThat(acked.get("event").get("timeToAckMs").asLong()).isEqualTo(5230);
        assertThat(acked.get("event").get("sequence").asLong()).as("the alarm's own counter").isEqualTo(7);
        assertThat(subscription.sequence()).isEqualTo(3);
    }

    @Test
    void sendsOnlyEventsOfTheStatesSeveritiesAndPrefixAskedFor() {
        Subscription subscription = openAndTakeFirst(
                "{\"states\": [\"UNACK_ALARM\"], \"severities\": [\"HIGH\", \"CRITICAL\"], \"prefix\": \"site1/\"}");
        ring.publish(transition("site1/a", Severity.HIGH, AlarmState.NORMAL, AlarmState.UNACK_ALARM)); // 1: sent
        ring.publish(transition("site1/b", Severity.LOW, AlarmState.NORMAL, AlarmState.UNACK_ALARM)); // severity
        ring.publish(transition("site2/c", Severity.HIGH, AlarmState.NORMAL, AlarmState.UNACK_ALARM)); // prefix
        ring.publish(transition("site1/d", Severity.CRITICAL, AlarmState.NORMAL, AlarmState.SHELVED)); // state
        ring.publish(transition("site1/e", Severity.CRITICAL, AlarmState.NORMAL, AlarmState.UNACK_ALARM)); // 5: sent

        assertThat(sequences(drain(subscription))).containsExactly(1L, 5L);
    }

    @Test
    void sendsTheEventThatTakesAnAlarmOutOfAFollowedState() {
        Subscription subscription = openAndTakeFirst("{\"states\": [\"UNACK_ALARM\"]}");
        ring.publish(acknowledgement("site1/tank1/level", 2)); // UNACK_ALARM -> ACKED_ALARM

        List<JsonNode> messages = drain(subscription);

        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).get("event").get("after").asText()).isEqualTo("ACKED_ALARM");
    }

    @Test
    void matchesThePrefixOnTheAlarmNameOrTheTagPath() {
        Subscription subscription = openAndTakeFirst("{\"prefix\": \"site1/tank1/level/h\"}");
        ring.publish(raised("site1/tank1/level")); // alarm site1/tank1/level/hi: its name matches
        ring.publish(raised("site1/tank2/level"));

        assertThat(sequences(drain(subscription))).containsExactly(1L);
    }

    @Test
    void neitherListsNorSendsAlarmsOnTagsTheCallerDoesNotSee() {
        access = reads("site1/**");
        service.access = access;
        service.alarms.add(alarm("site1/tank1/level", Severity.HIGH, AlarmState.UNACK_ALARM));
        service.alarms.add(alarm("site2/tank1/level", Severity.HIGH, AlarmState.UNACK_ALARM));
        Subscription subscription = open("{}", null);
        ring.publish(raised("site2/tank1/level"));
        ring.publish(raised("site1/tank1/level"));

        List<JsonNode> messages = drain(subscription);

        assertThat(messages.get(0).get("alarms").findValuesAsText("tag")).containsExactly("site1/tank1/level");
        assertThat(sequences(messages.subList(1, messages.size()))).containsExactly(2L);
    }

    @Test
    void appliesWhatTheCallerMayReadNowToTheNextEvent() {
        Subscription subscription = openAndTakeFirst("{}");
        access = reads("site2/**");
        ring.publish(raised("site1/tank1/level"));
        ring.publish(raised("site2/tank1/level"));

        assertThat(sequences(drain(subscription))).containsExactly(2L);
    }

    @Test
    void resumesWithExactlyTheMissedMatchingEventsInOrderAndNoList() {
        ring.publish(raised("site1/a"));
        ring.publish(raised("site1/b"));
        ring.publish(raised("site2/c"));
        ring.publish(raised("site1/d"));
        ring.publish(raised("site1/e"));
        String resume = "{\"run\": \"" + ring.run() + "\", \"sequence\": 2}";

        Subscription subscription = open("{\"prefix\": \"site1/\"}", resume);
        Subscription.Outgoing first = subscription.next(0);
        JsonNode answer = json(first.json());
        List<JsonNode> missed = drain(subscription);

        assertThat(answer.get("type").asText()).isEqualTo("alarms");
        assertThat(answer.get("resumed").asBoolean()).isTrue();
        assertThat(answer.get("sequence").asLong()).isEqualTo(2);
        assertThat(answer.has("alarms")).isFalse();
        assertThat(answer.has("gap")).isFalse();
        assertThat(first.resumeId()).isEqualTo(ring.run() + ":2");
        assertThat(service.lists).as("no list on resume").hasValue(0);
        assertThat(sequences(missed)).containsExactly(4L, 5L);
        assertThat(missed).extracting(m -> m.get("seq").asLong()).containsExactly(2L, 3L);
    }

    @Test
    void resumesFromTheOldestEventKeptButNoEarlier() {
        ring = new AlarmRing(10);
        publish(25); // keeps 16..25

        List<JsonNode> resumed = drain(open("{}", "{\"run\": \"" + ring.run() + "\", \"sequence\": 15}"));
        List<JsonNode> tooOld = drain(open("{}", "{\"run\": \"" + ring.run() + "\", \"sequence\": 14}"));

        assertThat(resumed.get(0).get("resumed").asBoolean()).isTrue();
        assertThat(sequences(resumed.subList(1, resumed.size()))).containsExactly(16L, 17L, 18L, 19L, 20L, 21L, 22L,
                23L, 24L, 25L);
        assertThat(tooOld.get(0).get("resumed").asBoolean()).isFalse();
    }

    @Test
    void answersAGapTooOldWithTheReasonAndTheCurrentList() {
        ring = new AlarmRing(10);
        service.alarms.add(alarm("site1/tank1/level", Severity.HIGH, AlarmState.UNACK_ALARM));
        publish(25);

        List<JsonNode> messages = drain(open("{}", "{\"run\": \"" + ring.run() + "\", \"sequence\": 5}"));
        JsonNode answer = messages.get(0);

        assertThat(answer.get("resumed").asBoolean()).isFalse();
        assertThat(answer.get("gap").asText()).isEqualTo("the node keeps the last 10 alarm events and you missed more"
                + " (you saw 5, the oldest kept is 16): here is the current list");
        assertThat(answer.get("sequence").asLong()).isEqualTo(25);
        assertThat(answer.get("alarms")).hasSize(1);
        assertThat(messages).as("the list stands for what was missed").hasSize(1);
    }

    @Test
    void answersAResumeFromAnotherRunAsARestartWithTheCurrentList() {
        publish(3);

        List<JsonNode> messages = drain(open("{}", "{\"run\": \"8f0c\", \"sequence\": 2}"));
        JsonNode answer = messages.get(0);

        assertThat(answer.get("resumed").asBoolean()).isFalse();
        assertThat(answer.get("run").asText()).isEqualTo(ring.run());
        assertThat(answer.get("gap").asText()).isEqualTo("the node restarted (run 8f0c is over): here is the current list");
        assertThat(answer.get("alarms").isArray()).isTrue();
        assertThat(messages).hasSize(1);
    }

    @Test
    void answersAResumeFromASequenceNeverSentWithTheCurrentList() {
        publish(3);

        JsonNode answer = drain(open("{}", "{\"run\": \"" + ring.run() + "\", \"sequence\": 9}")).get(0);

        assertThat(answer.get("resumed").asBoolean()).isFalse();
        assertThat(answer.get("gap").asText()).contains("sequence 9 was never sent", "the last is 3");
    }

    @Test
    void saysItIsBehindWhenItsUnsentEventsAreAtRiskAndItDoesNotCatchUp() {
        ring = new AlarmRing(20); // a tenth: 2 events of margin
        Subscription subscription = openAndTakeFirst("{}");
        publish(18);
        assertThat(subscription.behind()).as("18 waiting, 2 slots before the first is overwritten").isNull();

        publish(1);
        assertThat(subscription.behind()).as("at risk since this look: until the next one").isNull();

        assertThat(subscription.behind()).as("at risk at two looks, and no event taken between them")
                .contains("19 are waiting", "keeps the last 20", "resume from sequence 0");
        assertThat(sequences(drain(subscription))).as("nothing lost yet").hasSize(19).startsWith(1L).endsWith(19L);
        assertThat(subscription.behind()).isNull();
    }

    @Test
    void isNotBehindWhileItCatchesUpOnEventsAtRisk() {
        ring = new AlarmRing(20);
        Subscription subscription = openAndTakeFirst("{}");
        publish(19);
        assertThat(subscription.behind()).isNull();

        assertThat(subscription.next(0)).isNotNull();
        publish(0);
        assertThat(subscription.behind()).as("18 waiting: out of risk").isNull();
        publish(2);
        assertThat(subscription.behind()).as("20 waiting, at risk again: a new first look").isNull();
        subscription.next(0);
        assertThat(subscription.behind()).as("at risk, but it took one: catching up").isNull();
        assertThat(subscription.behind()).as("no progress since").isNotNull();
    }

    @Test
    void saysWhenItsNextEventHasLeftTheRingAndSendsNothingPastTheGap() {
        ring = new AlarmRing(5);
        Subscription subscription = openAndTakeFirst("{}");
        publish(8);

        assertThat(subscription.behind()).contains("those after sequence 0 have left");
        assertThat(subscription.next(0)).isNull();
    }

    @Test
    void wakesTheConnectionOnceWhenAnEventArrivesAfterItCaughtUp() {
        Subscription subscription = openAndTakeFirst("{}");
        assertThat(subscription.next(0)).isNull();
        assertThat(wakes).as("the first message needs no wake").hasValue(0);

        publish(3);
        assertThat(wakes).hasValue(1);
        publish(2);
        assertThat(wakes).as("still not caught up: no further wake").hasValue(1);

        assertThat(drain(subscription)).hasSize(5);
        publish(1);
        assertThat(wakes).hasValue(2);
    }

    @Test
    void sendsNothingAndWakesNoOneOnceClosed() {
        Subscription subscription = openAndTakeFirst("{}");
        subscription.next(0);
        subscription.close();
        publish(2);

        assertThat(subscription.next(0)).isNull();
        assertThat(wakes).hasValue(0);
        assertThat(subscription.behind()).isNull();
    }

    @Test
    void describesItselfForTheConsole() {
        service.alarms.add(alarm("site1/tank1/level", Severity.HIGH, AlarmState.UNACK_ALARM));
        service.alarms.add(alarm("site1/tank2/level", Severity.HIGH, AlarmState.UNACK_ALARM));
        Subscription subscription = openAndTakeFirst(
                "{\"severities\": [\"CRITICAL\", \"HIGH\"], \"states\": [\"RTN_UNACK\", \"UNACK_ALARM\"], \"prefix\": \"site1/\"}");
        publish(3);

        SubscriptionInfo info = subscription.info();

        assertThat(info).isEqualTo(new SubscriptionInfo("s2", "alarms",
                "states UNACK_ALARM, RTN_UNACK; severities HIGH, CRITICAL; prefix site1/", 2, 3, 1, 0));
        assertThat(AlarmSubscription.target(AlarmSubscriptions.filter(json("{}")))).isEqualTo("all alarms");
    }

    @Test
    void echoesANumericRequestIdAndLeavesOutAMissingOne() {
        Subscription numbered = AlarmSubscriptions.open(json("12"), "s1", json("{}"), null, ALICE, () -> access,
                service, ring, wakes::incrementAndGet);
        Subscription anonymous = AlarmSubscriptions.open(null, "s1", json("{}"), null, ALICE, () -> access, service,
                ring, wakes::incrementAndGet);

        assertThat(json(numbered.next(0).json()).get("id").isInt()).isTrue();
        assertThat(json(anonymous.next(0).json()).has("id")).isFalse();
    }
}
