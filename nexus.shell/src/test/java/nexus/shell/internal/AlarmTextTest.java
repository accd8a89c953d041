package nexus.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmFlags;
import nexus.alarm.AlarmSpec;
import nexus.alarm.AlarmState;
import nexus.alarm.AlarmSummary;
import nexus.core.AlarmCondition;
import nexus.core.Severity;
import nexus.query.Quality;

class AlarmTextTest {

    private static final AlarmSpec HI = new AlarmSpec("site1/tank1/level_hi", AlarmCondition.HI, 90.0, 2, Severity.HIGH, true,
            false, 1000, 0, 3600, "tank1 level high");

    private static final AlarmSummary SUMMARY = new AlarmSummary(3, 552, Map.of(Severity.HIGH, 1), Map.of(Severity.HIGH, 1),
            Map.of(), 0, 2, 12, true, 10, List.of("site1/tank1/level_hi"), 1,
            new AlarmSummary.ScanStats(100, 10, 0, 400_000, 900_000, null, 30), List.of());

    private static Alarm acked(Set<String> unknown) {
        int flags = AlarmFlags.VALID | AlarmFlags.ENABLED | AlarmFlags.ACTIVE | AlarmFlags.ACKED;
        return new Alarm(HI, "site1/tank1/level", AlarmState.ACKED_ALARM, flags, 93.5,
                unknown.isEmpty() ? Instant.parse("2026-11-26T08:00:00Z") : null, Instant.parse("2026-11-26T08:00:42Z"), "alice",
                "on it", null, null, false, null, null, 2, unknown);
    }

    @Test
    void filterWordsAreStatesSeveritiesOrAPrefix() {
        AlarmFilter filter = AlarmText.filter("unack_alarm", "RTN_UNACK", "high", "site1/area2/");

        assertThat(filter.states()).containsExactlyInAnyOrder(AlarmState.UNACK_ALARM, AlarmState.RTN_UNACK);
        assertThat(filter.severities()).containsExactly(Severity.HIGH);
        assertThat(filter.prefix()).isEqualTo("site1/area2/");
        assertThat(AlarmText.filter()).isEqualTo(AlarmFilter.ALL);
    }

    @Test
    void theListShowsOneLinePerAlarmAndTheKpis() {
        String text = AlarmText.table(List.of(acked(Set.of())), 100, SUMMARY);

        assertThat(text).isEqualTo("""
                name                  state        severity  value  activated             acked by
                site1/tank1/level_hi  ACKED_ALARM  HIGH      93.5   2026-11-26 08:00:00Z  alice
                1 alarm
                KPIs: in alarm 1 (HIGH 1); unacknowledged 1 (HIGH 1); shelved 0; suppressed 0; out of service 2; \
                12 activations in 10 min (FLOOD: more than 10); chattering 1 [site1/tank1/level_hi]
                """);
        assertThat(AlarmText.table(List.of(acked(Set.of()), acked(Set.of())), 1, SUMMARY))
                .contains("2 alarms (the first 1 shown: narrow the filter)");
    }

    /** An alarm on a federation mirror's tag that is not current: its last value shown, not evaluated. */
    private static Alarm stale() {
        Alarm a = acked(Set.of());
        return new Alarm(a.definition(), a.tag(), a.state(), a.flags(), 91.0, a.activatedAt(), a.ackedAt(), a.ackUser(),
                a.ackComment(), null, null, false, null, null, 2, Set.of(), Quality.STALE,
                "the value is the last one sparkplug plant/nexus1 sent and is not current");
    }

    @Test
    void theListShowsAQualityColumnWhenAnAlarmCannotBeEvaluated() {
        String text = AlarmText.table(List.of(stale(), acked(Set.of())), 100, SUMMARY);

        assertThat(text).startsWith("""
                name                  state        severity  value  quality  activated             acked by
                site1/tank1/level_hi  ACKED_ALARM  HIGH      91     STALE    2026-11-26 08:00:00Z  alice
                site1/tank1/level_hi  ACKED_ALARM  HIGH      93.5            2026-11-26 08:00:00Z  alice
                """);
    }

    @Test
    void theDetailSaysWhyAnAlarmCannotBeEvaluated() {
        String text = AlarmText.detail(stale());

        assertThat(text).contains("  tag           site1/tank1/level = 91\n")
                .contains("  quality       STALE: the value is the last one sparkplug plant/nexus1 sent and is not current"
                        + " (not evaluated: the alarm keeps its state)\n");
        assertThat(AlarmText.detail(acked(Set.of()))).doesNotContain("quality");
    }

    @Test
    void theDetailSaysWhenATimestampWasLostInARestart() {
        String text = AlarmText.detail(acked(Set.of("activatedAt")));

        assertThat(text).startsWith("site1/tank1/level_hi  ACKED_ALARM  HIGH\n")
                .contains("  activated     unknown (lost in a restart)\n")
                .contains("  acknowledged  2026-11-26 08:00:42Z by alice: on it\n")
                .contains("  flags         valid enabled active acked (0x87)\n")
                .contains("  condition     HI 90, deadband 2, on-delay 1000 ms\n")
                .contains("  durations     to acknowledge -, in alarm -\n")
                .contains("  max shelve    1 h\n");
    }
}
