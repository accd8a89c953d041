package nexus.alarm.internal;

import static nexus.alarm.AlarmFlags.ACTIVE;
import static nexus.alarm.internal.Mirror.ALARM;
import static nexus.alarm.internal.Mirror.Resolution.NO_TAG;
import static nexus.alarm.internal.Mirror.Resolution.RESOLVED;
import static nexus.alarm.internal.Mirror.Resolution.WRONG_TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmState;
import nexus.query.Quality;
import nexus.rma.BlockRead;

/**
 * Alarms on contributed tags (a federation host's mirror): values read through the registry
 * version's memory, a version without the tag or with a type the alarm cannot watch served all the
 * same with the alarm BAD and its state kept, a stale mirror shown and not evaluated.
 */
class ContributedAlarmTest extends EngineTestBase {

    private Mirror mirror;

    @BeforeEach
    void mirror() {
        mirror = new Mirror(plant);
        mirror.send(50.0f);
    }

    @Test
    void aMirroredValueReadThroughTheVersionsMemoryActivatesTheAlarm() {
        plant.served = mirror.version(2, RESOLVED);
        mirror.send(95.0f);

        engine.scan();

        Alarm alarm = engine.get(ALARM);
        assertThat(alarm.state()).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(alarm.tag()).isEqualTo(Mirror.TAG);
        assertThat(alarm.value()).isEqualTo(95.0f);
        assertThat(alarm.quality()).isEqualTo(Quality.GOOD);
        assertThat(alarm.qualityDetail()).isNull();
        assertThat(flagByte() & ACTIVE).as("the flag byte, in the node's backend").isEqualTo(ACTIVE);
        assertThat(mirror.views).as("read through the version's memory").isPositive();
    }

    @Test
    void aVersionWithoutTheTagIsServedAndTheActiveAlarmStaysActiveAndCanBeAcknowledged() {
        plant.served = mirror.version(2, RESOLVED);
        mirror.send(95.0f);
        engine.scan();
        assertThat(engine.get(ALARM).state()).isEqualTo(AlarmState.UNACK_ALARM);

        plant.served = mirror.version(3, NO_TAG);
        mirror.send(10.0f); // would clear it, were it evaluated
        engine.scan();

        Alarm bad = engine.get(ALARM);
        assertThat(bad.state()).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(bad.quality()).isEqualTo(Quality.BAD_NOT_IN_REGISTRY);
        assertThat(bad.qualityDetail()).isEqualTo(mirror.alarm(NO_TAG, 3).tagProblem());
        assertThat(bad.value()).isNull();
        assertThat(bad.tag()).isEqualTo(Mirror.TAG);
        assertThat(engine.list(AlarmFilter.ALL)).extracting(Alarm::name).contains(ALARM, Plant.TT101_HI);
        assertThat(engine.get(Plant.TT101_HI).quality()).as("the file's alarms are evaluated as ever")
                .isEqualTo(Quality.GOOD);

        Alarm acked = engine.act(ALARM, AlarmAction.ACKNOWLEDGE, Plant.by("alice", "remote tank, checking"));
        engine.scan();

        assertThat(acked.state()).isEqualTo(AlarmState.ACKED_ALARM);
        assertThat(engine.get(ALARM).state()).as("not cleared on a value it cannot see").isEqualTo(AlarmState.ACKED_ALARM);
        assertThat(engine.status().unevaluated()).isEqualTo(1);
        assertThat(engine.status().firstUnevaluated()).containsExactly(ALARM);

        plant.served = mirror.version(4, RESOLVED);
        engine.scan();

        Alarm again = engine.get(ALARM);
        assertThat(again.quality()).isEqualTo(Quality.GOOD);
        assertThat(again.value()).isEqualTo(10.0f);
        assertThat(again.state()).as("evaluated again: the value cleared it").isEqualTo(AlarmState.NORMAL);
        assertThat(engine.status().unevaluated()).isZero();
        assertThat(engine.status().firstUnevaluated()).isEmpty();
    }

    @Test
    void anAlarmWhoseTagTheFirstVersionLacksStaysNormalUntilAVersionHasIt() {
        plant.served = mirror.version(2, NO_TAG);
        mirror.send(95.0f);

        engine.scan();
        engine.scan();

        Alarm bad = engine.get(ALARM);
        assertThat(bad.state()).isEqualTo(AlarmState.NORMAL);
        assertThat(bad.quality()).isEqualTo(Quality.BAD_NOT_IN_REGISTRY);
        assertThat(bad.qualityDetail()).contains("has no tag " + Mirror.TAG);
        assertThat(flagByte() & ACTIVE).isZero();

        plant.served = mirror.version(3, RESOLVED);
        engine.scan();

        assertThat(engine.get(ALARM).state()).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(engine.get(ALARM).quality()).isEqualTo(Quality.GOOD);
    }

    @Test
    void aTagOfATypeTheAlarmCannotWatchIsABadConfiguration() {
        plant.served = mirror.version(2, WRONG_TYPE);

        engine.scan();

        Alarm bad = engine.get(ALARM);
        assertThat(bad.state()).isEqualTo(AlarmState.NORMAL);
        assertThat(bad.quality()).isEqualTo(Quality.BAD_CONFIGURATION);
        assertThat(bad.qualityDetail()).isEqualTo(mirror.alarm(WRONG_TYPE, 2).tagProblem());
        assertThat(bad.value()).isNull();
        assertThat(engine.status().unevaluated()).isEqualTo(1);
    }

    @Test
    void aStaleMirrorShowsItsLastValueAndKeepsTheState() {
        plant.served = mirror.version(2, RESOLVED);
        mirror.send(95.0f);
        engine.scan();
        engine.act(ALARM, AlarmAction.ACKNOWLEDGE, Plant.by("alice", null));

        mirror.current = false;
        mirror.send(10.0f);
        engine.scan();

        Alarm stale = engine.get(ALARM);
        assertThat(stale.state()).as("a value that is not current clears nothing").isEqualTo(AlarmState.ACKED_ALARM);
        assertThat(stale.quality()).isEqualTo(Quality.STALE);
        assertThat(stale.value()).as("shown, not evaluated").isEqualTo(10.0f);
        assertThat(stale.qualityDetail()).isEqualTo("the value is the last one " + Mirror.SOURCE
                + " sent and is not current");

        mirror.current = true;
        engine.scan();

        assertThat(engine.get(ALARM).state()).isEqualTo(AlarmState.NORMAL);
        assertThat(engine.get(ALARM).quality()).isEqualTo(Quality.GOOD);
        assertThat(engine.get(ALARM).qualityDetail()).isNull();
    }

    @Test
    void aStaleValueBeyondTheLimitActivatesNothing() {
        plant.served = mirror.version(2, RESOLVED);
        engine.scan();
        mirror.current = false;
        mirror.send(95.0f);

        settle();

        assertThat(engine.get(ALARM).state()).isEqualTo(AlarmState.NORMAL);
        assertThat(engine.get(ALARM).quality()).isEqualTo(Quality.STALE);
        assertThat(events()).as("told that it is not evaluated, nothing else").extracting(AlarmEvent::type)
                .containsExactly(AlarmEventType.QUALITY_CHANGED);
    }

    @Test
    void anAlarmThatStopsAndResumesBeingEvaluatedIsToldOnceEachWithTheLastValueKnown() {
        plant.served = mirror.version(2, RESOLVED);
        mirror.send(95.0f);
        engine.scan();
        plant.served = mirror.version(3, NO_TAG);

        settle();
        plant.served = mirror.version(4, WRONG_TYPE);
        settle();
        plant.served = mirror.version(5, RESOLVED);
        settle();
        engine.scan();

        List<AlarmEvent> events = events();
        assertThat(events).extracting(AlarmEvent::type).containsExactly(AlarmEventType.ACTIVATED,
                AlarmEventType.QUALITY_CHANGED, AlarmEventType.QUALITY_CHANGED, AlarmEventType.QUALITY_CHANGED);
        assertThat(events).extracting(AlarmEvent::sequence).containsExactly(1L, 2L, 3L, 4L);
        AlarmEvent gone = events.get(1);
        assertThat(gone.kind()).isEqualTo(AlarmEvent.Kind.ALARM);
        assertThat(gone.before()).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(gone.after()).isEqualTo(AlarmState.UNACK_ALARM);
        assertThat(gone.value()).as("the last value known").isEqualTo(95.0f);
        assertThat(gone.user()).isNull();
        assertThat(gone.comment()).isEqualTo("BAD_NOT_IN_REGISTRY: " + mirror.alarm(NO_TAG, 3).tagProblem());
        assertThat(events.get(2).comment()).isEqualTo("BAD_CONFIGURATION: " + mirror.alarm(WRONG_TYPE, 4).tagProblem());
        assertThat(events.get(3).comment()).isEqualTo("GOOD: evaluated again");
        assertThat(engine.get(ALARM).sequence()).isEqualTo(4);
    }

    @Test
    void anAlarmWhoseTagIsGoodAtItsFirstScanIsToldNothing() {
        plant.served = mirror.version(2, RESOLVED);

        engine.scan();
        engine.scan();

        assertThat(events()).isEmpty();
    }

    @Test
    void anAlarmWhoseTagIsNotGoodAtItsFirstScanIsToldOnce() {
        plant.served = mirror.version(2, NO_TAG);

        settle();
        engine.scan();

        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(AlarmEventType.QUALITY_CHANGED);
            assertThat(e.value()).isNull();
            assertThat(e.before()).isEqualTo(AlarmState.NORMAL);
            assertThat(e.after()).isEqualTo(AlarmState.NORMAL);
        });
    }

    @Test
    void anAlarmNotEvaluatedIsNotToldUntilItIsEvaluatedAgain() {
        plant.served = mirror.version(2, RESOLVED);
        engine.scan();
        engine.act(ALARM, AlarmAction.DISABLE, Plant.by("eng", null));
        plant.served = mirror.version(3, NO_TAG);
        engine.scan();
        assertThat(events()).extracting(AlarmEvent::type).containsExactly(AlarmEventType.DISABLED);
        assertThat(engine.get(ALARM).quality()).as("shown all the same").isEqualTo(Quality.BAD_NOT_IN_REGISTRY);
        assertThat(engine.status().unevaluated()).as("health counts alarms that are evaluated").isZero();

        engine.act(ALARM, AlarmAction.ENABLE, Plant.by("eng", null));
        settle();

        assertThat(events()).extracting(AlarmEvent::type).containsExactly(AlarmEventType.DISABLED,
                AlarmEventType.ENABLED, AlarmEventType.QUALITY_CHANGED);
        assertThat(engine.status().unevaluated()).isEqualTo(1);
    }

    @Test
    void aQualityThatDoesNotHoldForThreeScansIsNotTold() {
        plant.served = mirror.version(2, RESOLVED);
        engine.scan();
        mirror.current = false;
        engine.scan();
        engine.scan();
        assertThat(engine.get(ALARM).quality()).as("listed as the scan found it").isEqualTo(Quality.STALE);
        mirror.current = true;

        settle();

        assertThat(engine.get(ALARM).quality()).isEqualTo(Quality.GOOD);
        assertThat(events()).as("two scans of STALE are not news").isEmpty();
    }

    /** Scans until a quality that has not changed is told ({@link TagReading#SETTLED} scans). */
    private void settle() {
        for (int i = 0; i < TagReading.SETTLED; i++) {
            engine.scan();
        }
    }

    private List<AlarmEvent> events() {
        return plant.events.stream().filter(e -> e.alarm().equals(ALARM)).toList();
    }

    @Test
    void aNewRegistryVersionOnTheSameBackendIsNoBackendChange() {
        plant.served = mirror.version(2, RESOLVED);
        mirror.send(95.0f);
        engine.scan();
        engine.act(Plant.TT101_HI, AlarmAction.DISABLE, Plant.by("eng", null));
        plant.counting().clearWrites();

        plant.served = mirror.version(3, RESOLVED); // its memory is another view over the same backend
        engine.scan();

        assertThat(plant.counting().writes).as("no flag byte written again").isEmpty();
        assertThat(engine.get(ALARM).state()).isEqualTo(AlarmState.UNACK_ALARM);

        plant.backend = new Plant.CountingBackend(plant.counting().heap); // a backend change, for contrast
        engine.scan();

        assertThat(plant.counting().writes).as("a new backend gets every flag the engine knows").isNotEmpty();
    }

    /** @return the contributed alarm's flag byte in the node's backend */
    private int flagByte() {
        var flags = mirror.flags();
        BlockRead read = new BlockRead(1).target(flags.bank(), flags.byteOffset(), 1);
        plant.backend.read(read);
        assertThat(read.ok()).isTrue();
        return read.data()[0] & 0xFF;
    }
}
