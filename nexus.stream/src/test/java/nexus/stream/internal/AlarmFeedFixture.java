package nexus.stream.internal;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.alarm.ActionRequest;
import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmSpec;
import nexus.alarm.AlarmState;
import nexus.alarm.AlarmSummary;
import nexus.core.Access;
import nexus.core.AlarmCondition;
import nexus.core.Caller;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.core.Severity;

/** Events, alarms, a caller and an alarm service for the alarm feed's tests. */
final class AlarmFeedFixture {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Caller ALICE = Caller.of("alice", Set.of("operator"), "test");
    static final Instant T0 = Instant.parse("2026-12-06T15:04:18.002Z");

    private AlarmFeedFixture() {
    }

    /** A process transition of the alarm {@code <tag>/hi} on {@code tag}. */
    static AlarmEvent transition(String tag, Severity severity, AlarmState before, AlarmState after) {
        return new AlarmEvent(1, T0, AlarmEventType.ACTIVATED, AlarmEvent.Kind.ALARM, tag + "/hi", tag, 93.5, severity,
                before, after, null, null, null, null, "level high");
    }

    /** An operator's acknowledgement of the alarm {@code <tag>/hi}. */
    static AlarmEvent acknowledgement(String tag, long alarmSequence) {
        return new AlarmEvent(alarmSequence, T0.plusMillis(5230), AlarmEventType.ACKNOWLEDGED, AlarmEvent.Kind.AUDIT,
                tag + "/hi", tag, null, Severity.HIGH, AlarmState.UNACK_ALARM, AlarmState.ACKED_ALARM, "alice", "seen",
                Duration.ofMillis(5230), null, null);
    }

    /** An alarm in the given state, named {@code <tag>/hi}. */
    static Alarm alarm(String tag, Severity severity, AlarmState state) {
        AlarmSpec spec = new AlarmSpec(tag + "/hi", AlarmCondition.HI, 90.0, 2, severity, true, false, 0, 0, 3600,
                "level high");
        return new Alarm(spec, tag, state, 0, 93.5, T0, null, null, null, null, null, false, null, null, 1, Set.of());
    }

    /** What a caller with the {@code read} permission under these globs may read. */
    static Access reads(String... globs) {
        return new Access(new TreeSet<>(Set.of("operator")), Set.of(Permission.READ), PathScope.of(globs),
                PathScope.NONE, 0, 0);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every message the subscription has ready now, parsed */
    static List<JsonNode> drain(Subscription subscription) {
        List<JsonNode> messages = new ArrayList<>();
        for (Subscription.Outgoing next; (next = subscription.next(0)) != null;) {
            messages.add(json(next.json()));
        }
        return messages;
    }

    /**
     * The alarm service's list as the tests need it: the alarms it was given, filtered as the real
     * one filters (the filter, then what the caller sees), with a hook that runs while the list is
     * taken (to publish an event "meanwhile").
     */
    static final class Alarms implements AlarmService {
        final List<Alarm> alarms = new ArrayList<>();
        final AtomicInteger lists = new AtomicInteger();
        Access access = Access.UNRESTRICTED;
        Runnable meanwhile = () -> { };

        @Override
        public List<Alarm> list(Caller caller, AlarmFilter filter) {
            lists.incrementAndGet();
            meanwhile.run();
            return alarms.stream().filter(a -> filter.matches(a.state(), a.definition().severity(), a.name(), a.tag()))
                    .filter(a -> access.sees(a.tag())).toList();
        }

        @Override
        public Alarm get(Caller caller, String name) {
            throw new UnsupportedOperationException("the alarm feed only lists");
        }

        @Override
        public Alarm act(String name, AlarmAction action, ActionRequest request) {
            throw new UnsupportedOperationException("the alarm feed only lists");
        }

        @Override
        public AlarmSummary summary() {
            throw new UnsupportedOperationException("the alarm feed only lists");
        }
    }
}
