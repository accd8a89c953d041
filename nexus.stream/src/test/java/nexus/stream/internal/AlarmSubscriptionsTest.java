package nexus.stream.internal;

import static nexus.stream.internal.AlarmFeedFixture.ALICE;
import static nexus.stream.internal.AlarmFeedFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmState;
import nexus.core.Access;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Severity;

class AlarmSubscriptionsTest {

    private final AlarmFeedFixture.Alarms service = new AlarmFeedFixture.Alarms();

    private static AbstractThrowableAssert<?, ?> refused(Runnable parse) {
        return assertThatThrownBy(parse::run).isInstanceOf(NexusException.class)
                .satisfies(e -> assertThat(((NexusException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void readsStatesSeveritiesAndPrefixIgnoringTheCaseOfNames() {
        AlarmFilter filter = AlarmSubscriptions.filter(
                json("{\"states\": [\"unack_alarm\", \"RTN_UNACK\"], \"severities\": [\"High\"], \"prefix\": \"site1/\"}"));

        assertThat(filter).isEqualTo(new AlarmFilter(Set.of(AlarmState.UNACK_ALARM, AlarmState.RTN_UNACK),
                Set.of(Severity.HIGH), "site1/"));
    }

    @Test
    void followsEveryAlarmForAnEmptyFilterOrEmptyAndNullFields() {
        assertThat(AlarmSubscriptions.filter(json("{}"))).isEqualTo(AlarmFilter.ALL);
        assertThat(AlarmSubscriptions.filter(json("{\"states\": [], \"severities\": null, \"prefix\": \"\"}")))
                .isEqualTo(AlarmFilter.ALL);
    }

    @Test
    void refusesAnUnknownFilterFieldNamingTheFieldsItTakes() {
        refused(() -> AlarmSubscriptions.filter(json("{\"state\": [\"UNACK_ALARM\"]}")))
                .hasMessage("alarms: unknown field 'state'; it takes states, severities and prefix");
    }

    @Test
    void refusesAnUnknownStateNamingTheStates() {
        refused(() -> AlarmSubscriptions.filter(json("{\"states\": [\"ALARM\"]}"))).hasMessage(
                "alarms.states: \"ALARM\" is unknown: use NORMAL, UNACK_ALARM, ACKED_ALARM, RTN_UNACK, SHELVED,"
                        + " SUPPRESSED, OUT_OF_SERVICE");
    }

    @Test
    void refusesAnUnknownSeverityNamingTheSeverities() {
        refused(() -> AlarmSubscriptions.filter(json("{\"severities\": [\"URGENT\"]}")))
                .hasMessage("alarms.severities: \"URGENT\" is unknown: use LOW, MEDIUM, HIGH, CRITICAL");
        refused(() -> AlarmSubscriptions.filter(json("{\"severities\": [3]}"))).hasMessageStartingWith(
                "alarms.severities: 3 is unknown");
    }

    @Test
    void refusesFilterValuesOfTheWrongKind() {
        refused(() -> AlarmSubscriptions.filter(json("{\"states\": \"UNACK_ALARM\"}")))
                .hasMessageStartingWith("alarms.states must be an array of names");
        refused(() -> AlarmSubscriptions.filter(json("{\"prefix\": 5}"))).hasMessageStartingWith("alarms.prefix must be text");
        refused(() -> AlarmSubscriptions.filter(json("true"))).hasMessageStartingWith("alarms must be an object");
        refused(() -> AlarmSubscriptions.filter(null)).hasMessageStartingWith("alarms must be an object");
    }

    @Test
    void readsAResumeOrNone() {
        assertThat(AlarmSubscriptions.resume(json("{\"run\": \"8f0c\", \"sequence\": 41}")))
                .isEqualTo(new AlarmSubscriptions.Resume("8f0c", 41));
        assertThat(AlarmSubscriptions.resume(null)).isNull();
        assertThat(AlarmSubscriptions.resume(json("null"))).isNull();
    }

    @Test
    void refusesABadResumeNamingTheField() {
        refused(() -> AlarmSubscriptions.resume(json("{\"run\": \"8f0c\", \"sequence\": 41, \"seq\": 2}")))
                .hasMessage("resume: unknown field 'seq'; it takes run and sequence");
        refused(() -> AlarmSubscriptions.resume(json("{\"sequence\": 41}"))).hasMessageStartingWith("resume.run must be");
        refused(() -> AlarmSubscriptions.resume(json("{\"run\": \" \", \"sequence\": 41}")))
                .hasMessageStartingWith("resume.run must be");
        refused(() -> AlarmSubscriptions.resume(json("{\"run\": \"8f0c\"}"))).hasMessageStartingWith("resume.sequence must be");
        refused(() -> AlarmSubscriptions.resume(json("{\"run\": \"8f0c\", \"sequence\": -1}")))
                .hasMessageStartingWith("resume.sequence must be a whole number, 0 or more");
        refused(() -> AlarmSubscriptions.resume(json("{\"run\": \"8f0c\", \"sequence\": 4.5}")))
                .hasMessageStartingWith("resume.sequence must be");
        refused(() -> AlarmSubscriptions.resume(json("{\"run\": \"8f0c\", \"sequence\": \"41\"}")))
                .hasMessageStartingWith("resume.sequence must be");
        refused(() -> AlarmSubscriptions.resume(json("[\"8f0c\", 41]"))).hasMessageStartingWith("resume must be an object");
    }

    @Test
    void refusesABadSubscribeBeforeTakingTheList() {
        AlarmRing ring = new AlarmRing(10);

        refused(() -> AlarmSubscriptions.open(json("\"1\""), "s1", json("{\"states\": [\"BOGUS\"]}"), null, ALICE,
                () -> Access.UNRESTRICTED, service, ring, () -> { }));
        refused(() -> AlarmSubscriptions.open(json("\"1\""), "s1", json("{}"), json("{\"run\": 1, \"sequence\": 1}"),
                ALICE, () -> Access.UNRESTRICTED, service, ring, () -> { }));

        assertThat(service.lists).hasValue(0);
    }
}
