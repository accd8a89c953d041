package nexus.alarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.core.AlarmCondition;
import nexus.core.Severity;
import nexus.query.Quality;
import nexus.registry.AlarmDefinition;
import nexus.registry.Registry;
import nexus.rma.Allocation;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaType;

/** What the log and health say about alarms whose tag is not GOOD: once per change, one line for many. */
class TagQualityTest extends EngineTestBase {

    private final TagQuality quality = new TagQuality();

    @Test
    void aFewChangesAreLoggedOneByOneWithWhy() {
        List<AlarmRecord> alarms = alarms(3);

        List<String> lines = pass(alarms, Quality.BAD_NOT_IN_REGISTRY);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("alarm remote/0/hi cannot be evaluated, it keeps its state: its tag remote/0"
                + " is BAD_NOT_IN_REGISTRY (registry version 2 has no tag remote/0)");
        assertThat(pass(alarms, Quality.BAD_NOT_IN_REGISTRY)).as("nothing changed, nothing logged").isEmpty();
        assertThat(pass(alarms, Quality.GOOD)).containsExactly("alarm remote/0/hi is evaluated again: its tag remote/0 is"
                + " GOOD", "alarm remote/1/hi is evaluated again: its tag remote/1 is GOOD",
                "alarm remote/2/hi is evaluated again: its tag remote/2 is GOOD");
    }

    @Test
    void aMirrorOfManyAlarmsFlappingLogsOneLinePerFlap() {
        List<AlarmRecord> alarms = alarms(100_000);

        List<String> stale = pass(alarms, Quality.STALE);
        List<String> again = pass(alarms, Quality.GOOD);

        assertThat(stale).singleElement().asString().startsWith("100000 alarms changed quality: 100000 cannot be"
                + " evaluated any more, 0 are evaluated again").contains("alarm remote/4/hi cannot be evaluated")
                .doesNotContain("remote/5/hi");
        assertThat(again).singleElement().asString().contains("100000 are evaluated again");
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
            r.quality(q, q.isGood() ? null : TagQuality.unresolvedDetail(r.definition(), r.tag(), 2));
            quality.saw(r, before);
        }
        return quality.finish();
    }

    private static List<AlarmRecord> alarms(int count) {
        List<AlarmRecord> alarms = new ArrayList<>(count);
        Allocation flags = new Allocation(1, 0, 0, RmaType.UINT8, 1);
        for (int i = 0; i < count; i++) {
            AlarmDefinition d = new AlarmDefinition(i, "remote/" + i + "/hi", AlarmDefinition.NO_TAG, AlarmCondition.HI, 1.0,
                    0, Severity.LOW, true, false, 0, 0, 0, null, flags, "remote/" + i, true, null);
            alarms.add(new AlarmRecord(d, d.tagPath(), null, 0, AlarmRecord.NO_VALUE, 0, 0, 0));
        }
        return alarms;
    }
}
