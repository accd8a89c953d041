package nexus.alarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.core.AlarmCondition;
import nexus.core.Severity;
import nexus.query.Quality;
import nexus.registry.AlarmDefinition;
import nexus.rma.Allocation;
import nexus.rma.BlockRead;
import nexus.rma.RmaType;

/**
 * Review: an alarm on a LOCAL tag whose bank is now and then contended (a busy writer) used to be
 * silent (value unknown, state kept); now every contended scan logs two INFO lines — one when the
 * quality leaves GOOD, one when it comes back — without limit. The same holds for a mirror whose
 * node flaps (gap, rebirth, gap…). Foreign flag bytes, by contrast, are reported at most once a minute.
 */
class TagQualityFloodTest {

    @Test
    void anAlarmWhoseLocalBankIsContendedEveryOtherScanDoesNotLogTwoLinesPerScanPair() {
        Allocation flags = new Allocation(1, 0, 0, RmaType.UINT8, 1);
        AlarmDefinition d = new AlarmDefinition(1, "plant/tank/level/hi", 1, AlarmCondition.HI, 90.0, 0, Severity.HIGH,
                true, false, 0, 0, 0, null, flags);
        AlarmRecord r = new AlarmRecord(d, "plant/tank/level", RmaType.FLOAT64, 0, 0, 0, 1, 0);
        TagQuality quality = new TagQuality();
        List<String> logged = new ArrayList<>();

        for (int scan = 0; scan < 200; scan++) {
            quality.start(null, new BlockRead[0]);
            Quality before = r.quality();
            boolean contended = scan % 2 == 0;
            r.quality(contended ? Quality.BAD_CONTENDED : Quality.GOOD,
                    contended ? "no consistent snapshot of bank process could be read" : null);
            quality.saw(r, before);
            logged.addAll(quality.finish());
        }

        assertThat(logged).as("INFO lines for one alarm over 200 scans (20 s at the default scan interval)")
                .hasSizeLessThanOrEqualTo(4);
    }
}
