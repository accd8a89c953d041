package nexus.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmFlags;
import nexus.alarm.AlarmState;
import nexus.alarm.AlarmSummary;
import nexus.core.Severity;

/** Renders alarms and alarm KPIs for the console, and reads the console's alarm filters. */
final class AlarmText {

    private AlarmText() {
    }

    /**
     * Reads filter words: a state ({@code UNACK_ALARM}), a severity ({@code HIGH}), anything else a
     * prefix of the alarm name or tag path; case-insensitive for states and severities.
     */
    static AlarmFilter filter(String... words) {
        Set<AlarmState> states = EnumSet.noneOf(AlarmState.class);
        Set<Severity> severities = EnumSet.noneOf(Severity.class);
        String prefix = null;
        for (String word : words) {
            String upper = word.strip().toUpperCase(Locale.ROOT);
            if (isState(upper)) {
                states.add(AlarmState.valueOf(upper));
            } else if (isSeverity(upper)) {
                severities.add(Severity.valueOf(upper));
            } else if (!word.isBlank()) {
                prefix = word.strip();
            }
        }
        return new AlarmFilter(states, severities, prefix);
    }

    private static boolean isState(String word) {
        return EnumSet.allOf(AlarmState.class).stream().anyMatch(s -> s.name().equals(word));
    }

    private static boolean isSeverity(String word) {
        return EnumSet.allOf(Severity.class).stream().anyMatch(s -> s.name().equals(word));
    }

    /**
     * One line per alarm; a {@code quality} column when an alarm shown cannot be evaluated (its tag's
     * quality is not GOOD: {@code nexus:alarm <name>} says why).
     */
    static String table(List<Alarm> alarms, int max, AlarmSummary summary) {
        List<Alarm> shown = alarms.subList(0, Math.min(max, alarms.size()));
        boolean qualities = shown.stream().anyMatch(a -> !a.quality().isGood());
        List<List<String>> rows = new ArrayList<>();
        for (Alarm alarm : shown) {
            List<String> row = new ArrayList<>(List.of(alarm.name(), alarm.state().name(),
                    alarm.definition().severity().name(), text(alarm.value())));
            if (qualities) {
                row.add(alarm.quality().isGood() ? "" : alarm.quality().name());
            }
            row.add(time(alarm.activatedAt(), alarm.unknown().contains("activatedAt")));
            row.add(alarm.ackUser() == null ? "" : alarm.ackUser());
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("name", "state", "severity", "value"));
        if (qualities) {
            header.add("quality");
        }
        header.addAll(List.of("activated", "acked by"));
        StringBuilder out = new StringBuilder();
        TextTable.render(out, header, rows, 60);
        out.append(alarms.size()).append(alarms.size() == 1 ? " alarm" : " alarms");
        if (alarms.size() > max) {
            out.append(" (the first ").append(max).append(" shown: narrow the filter)");
        }
        out.append('\n').append(kpis(summary));
        return out.toString();
    }

    static String kpis(AlarmSummary s) {
        return String.format(Locale.ROOT, "KPIs: in alarm %s; unacknowledged %s; shelved %s; suppressed %d; out of"
                + " service %d; %d activations in 10 min%s; chattering %d%s%n",
                counts(s.active()), counts(s.unacknowledged()), counts(s.shelved()), s.suppressed(), s.outOfService(),
                s.activations10m(), s.flood() ? " (FLOOD: more than " + s.floodThreshold() + ")" : "",
                s.chatteringCount(), s.chattering().isEmpty() ? "" : " " + s.chattering());
    }

    private static String counts(Map<Severity, Integer> counts) {
        int total = AlarmSummary.total(counts);
        if (total == 0) {
            return "0";
        }
        return total + " (" + counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey().name() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")";
    }

    static String detail(Alarm alarm) {
        var d = alarm.definition();
        Instant now = Instant.now();
        StringBuilder out = new StringBuilder();
        out.append(alarm.name()).append("  ").append(alarm.state()).append("  ").append(d.severity()).append('\n');
        field(out, "message", d.message() == null ? "" : d.message());
        field(out, "tag", alarm.tag() + " = " + text(alarm.value()));
        if (!alarm.quality().isGood()) {
            field(out, "quality", alarm.quality() + (alarm.qualityDetail() == null ? "" : ": " + alarm.qualityDetail())
                    + " (not evaluated: the alarm keeps its state)");
        }
        field(out, "condition", d.condition() + (d.limit() == null ? "" : " " + number(d.limit()))
                + (d.deadband() > 0 ? ", deadband " + number(d.deadband()) : "")
                + (d.onDelayMillis() > 0 ? ", on-delay " + d.onDelayMillis() + " ms" : "")
                + (d.offDelayMillis() > 0 ? ", off-delay " + d.offDelayMillis() + " ms" : "")
                + (d.requiresAck() ? "" : ", no acknowledgement needed") + (d.latching() ? ", latching" : ""));
        field(out, "flags", AlarmFlags.describe(alarm.flags()) + String.format(" (0x%02x)", alarm.flags()));
        field(out, "activated", time(alarm.activatedAt(), alarm.unknown().contains("activatedAt")));
        field(out, "acknowledged", time(alarm.ackedAt(), alarm.unknown().contains("ackedAt"))
                + (alarm.ackUser() == null ? "" : " by " + alarm.ackUser())
                + (alarm.ackComment() == null ? "" : ": " + alarm.ackComment()));
        field(out, "cleared", time(alarm.clearedAt(), alarm.unknown().contains("clearedAt")));
        if (alarm.shelved()) {
            field(out, "shelved", (alarm.oneShot() ? "one-shot, " : "") + "until "
                    + time(alarm.shelvedUntil(), alarm.unknown().contains("shelvedUntil"))
                    + (alarm.shelveUser() == null ? "" : " by " + alarm.shelveUser())
                    + (alarm.shelveReason() == null ? "" : ": " + alarm.shelveReason()));
        }
        Duration toAck = alarm.timeToAck();
        Duration inAlarm = alarm.timeInAlarm(now);
        field(out, "durations", "to acknowledge " + (toAck == null ? "-" : seconds(toAck)) + ", in alarm "
                + (inAlarm == null ? "-" : seconds(inAlarm)));
        field(out, "max shelve", d.maxShelveSeconds() == 0 ? "shelving not allowed" : span(d.maxShelveSeconds()));
        field(out, "events", String.valueOf(alarm.sequence()));
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(String.format("  %-13s %s%n", name, value));
    }

    private static String time(Instant instant, boolean unknown) {
        return unknown ? "unknown (lost in a restart)" : TextTable.time(instant);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static String span(long seconds) {
        if (seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String text(Object value) {
        return value == null ? "?" : value instanceof Double d ? number(d) : value.toString();
    }
}
