package nexus.alarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmFlags;
import nexus.core.AlarmCondition;
import nexus.core.Severity;
import nexus.query.Quality;
import nexus.registry.AlarmDefinition;
import nexus.registry.Registry;
import nexus.rma.Allocation;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaType;

/**
 * What the log and health say about alarms whose tag is not GOOD: one line per cause for many, the
 * first at once and then at most one a minute per cause; health counts alarms that are evaluated.
 */
class TagQualityTest extends EngineTestBase {

    private long mono;
    private final TagQuality quality = new TagQuality(() -> mono);

    @Test
    void oneChangeIsLoggedAtOnceWithWhy() {
        List<AlarmRecord> alarms = alarms(1);

        assertThat(pass(alarms, Quality.BAD_NOT_IN_REGISTRY)).containsExactly("alarm remote/0/hi cannot be evaluated,"
                + " it keeps its state: its tag remote/0 is BAD_NOT_IN_REGISTRY (tag remote/0 is not in registry"
                + " version 2)");
        assertThat(pass(alarms, Quality.BAD_NOT_IN_REGISTRY)).as("nothing changed, nothing logged").isEmpty();
        assertThat(pass(alarms, Quality.GOOD)).as("another cause: logged at once")
                .containsExactly("alarm remote/0/hi is evaluated again: its tag remote/0 is GOOD");
    }

    @Test
    void aMirrorOfManyAlarmsFlappingLogsOneLinePerCauseAndMinute() {
        List<AlarmRecord> alarms = alarms(100_000);

        List<String> stale = pass(alarms, Quality.STALE);
        List<String> again = pass(alarms, Quality.GOOD);

        assertThat(stale).singleElement().asString().startsWith("100000 times an alarm could no longer be evaluated,"
                + " keeping its state (its tag STALE); the first alarms: remote/0/hi, remote/1/hi, remote/2/hi,"
                + " remote/3/hi, remote/4/hi. First: alarm remote/0/hi cannot be evaluated")
                .doesNotContain("remote/5/hi");
        assertThat(again).singleElement().asString().startsWith("100000 times an alarm was evaluated again");

        mono += 30_000;
        assertThat(pass(alarms, Quality.STALE)).as("within the minute").isEmpty();
        assertThat(pass(alarms, Quality.GOOD)).isEmpty();
        mono += 30_000;
        List<String> later = pass(alarms, Quality.BAD_CONTENDED);

        assertThat(later).as("a new cause at once, and each cause due again").hasSize(3);
        assertThat(later).anySatisfy(line -> assertThat(line).startsWith("100000 times an alarm could no longer be"
                + " evaluated, keeping its state (its tag STALE) in the last minute or more"));
        assertThat(later).anySatisfy(line -> assertThat(line).startsWith("100000 times an alarm was evaluated again"));
        assertThat(later).anySatisfy(line -> assertThat(line).contains("(its tag BAD_CONTENDED)")
                .endsWith("100000 alarms cannot be evaluated now; their quality is in GET /api/v1/alarms"));
    }

    @Test
    void healthNamesTheFirstFewAlarmsThatCannotBeEvaluated() {
        List<AlarmRecord> alarms = alarms(8);

        pass(alarms, Quality.BAD_CONFIGURATION);

        assertThat(quality.unevaluated()).isEqualTo(8);
        assertThat(quality.firstUnevaluated()).containsExactly("remote/0/hi", "remote/1/hi", "remote/2/hi", "remote/3/hi",
                "remote/4/hi");
        pass(alarms, Quality.GOOD);
        assertThat(quality.unevaluated()).isZero();
        assertThat(quality.firstUnevaluated()).isEmpty();
    }

    @Test
    void healthLeavesOutAlarmsThatAreNotEvaluated() {
        List<AlarmRecord> alarms = alarms(8);
        alarms.get(0).operatorFlag(AlarmFlags.ENABLED, false);
        alarms.get(2).operatorFlag(AlarmFlags.OUT_OF_SERVICE, true);

        List<String> lines = pass(alarms, Quality.BAD_CONFIGURATION);

        assertThat(quality.unevaluated()).isEqualTo(6);
        assertThat(quality.firstUnevaluated()).containsExactly("remote/1/hi", "remote/3/hi", "remote/4/hi", "remote/5/hi",
                "remote/6/hi");
        assertThat(lines).singleElement().asString().startsWith("6 times");
        assertThat(alarms.get(0).quality()).as("still shown").isEqualTo(Quality.BAD_CONFIGURATION);
    }

    @Test
    void aStaleOrUnreachableBankIsSaidInWordsNamingWhatItMirrors() {
        Mirror mirror = new Mirror(plant);
        Registry version = mirror.version(2, Mirror.Resolution.RESOLVED);
        int bank = mirror.mirrorBank();

        assertThat(TagQuality.describe(version, bank, ReadStatus.STALE))
                .isEqualTo("the value is the last one sparkplug plant/nexus1 sent and is not current");
        assertThat(TagQuality.describe(version, bank, ReadStatus.UNAVAILABLE))
                .isEqualTo("the memory holding bank mirror_plant_nexus1 (sparkplug plant/nexus1) cannot be reached now");
        assertThat(TagQuality.describe(version, 0, ReadStatus.STALE))
                .isEqualTo("the value is the last one its source sent and is not current");
        assertThat(TagQuality.describe(version, 9, ReadStatus.UNKNOWN_BANK)).startsWith("RMA has no bank 9:");
    }

    /** One scan's pass in which every alarm's tag has {@code q}. */
    private List<String> pass(List<AlarmRecord> alarms, Quality q) {
        quality.start(plant.registry, new BlockRead[0]);
        for (AlarmRecord r : alarms) {
            Quality before = r.quality();
            r.quality(q, q.isGood() ? null : r.definition().tagProblem());
            quality.saw(r, before);
        }
        return quality.finish();
    }

    private static List<AlarmRecord> alarms(int count) {
        List<AlarmRecord> alarms = new ArrayList<>(count);
        Allocation flags = new Allocation(1, 0, 0, RmaType.UINT8, 1);
        for (int i = 0; i < count; i++) {
            AlarmDefinition d = new AlarmDefinition(i, "remote/" + i + "/hi", AlarmDefinition.NO_TAG, AlarmCondition.HI, 1.0,
                    0, Severity.LOW, true, false, 0, 0, 0, null, flags, "remote/" + i, true,
                    "tag remote/" + i + " is not in registry version 2");
            alarms.add(new AlarmRecord(d, d.tagPath(), null, 0, AlarmRecord.NO_VALUE, 0, 0, 0));
        }
        return alarms;
    }
}
