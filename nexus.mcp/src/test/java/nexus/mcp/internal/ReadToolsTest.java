package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import nexus.alarm.AlarmService;
import nexus.core.AccessPolicy;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.query.FindService;
import nexus.query.QueryService;
import nexus.query.TagService;

class ReadToolsTest {

    private final Backends none = new Backends() {
        @Override public QueryService query() { return null; }
        @Override public TagService tags() { return null; }
        @Override public FindService find() { return null; }
        @Override public AlarmService alarms() { return null; }
        @Override public AuditTrail audit() { return null; }
        @Override public AccessPolicy policy() { return null; }
    };

    private final Toolbox toolbox = new Toolbox(new ReadTools(none, 10).tools(), new DefaultJsonSchemaValidator(Schemas.json()),
            new RateLimiter(600, 100), none, () -> 0L);
    private final Caller alice = Caller.of("alice", Set.of("viewer"), "mcp 127.0.0.1");

    @Test
    void theHistoryHintQuotesTheAlarmNameSoThatItCannotBreakOutOfTheLogqlString() {
        Outcome outcome = toolbox.call(alice, "alarm_history_hint", Map.of("alarm", "a/b\"} |= \"x\\"));
        assertThat(outcome.error()).isFalse();
        assertThat((String) outcome.structured().get("logql"))
                .isEqualTo("{job=\"rma-nexus\", kind=~\"alarm|audit\"} | alarm = \"a/b\\\"} |= \\\"x\\\\\"");
    }

    @Test
    void controlAndFormatCharactersOfANameAreEscapedInTheLogqlString() {
        assertThat(ReadTools.logqlString("a\nb\r\t\u0000\u202e\u007f/é")).isEqualTo("\"a\\nb\\r\\t\\u0000\\u202e\\u007f/é\"");
    }

    @Test
    void aToolWhoseServiceIsNotRunningIsAToolErrorSayingSo() {
        Outcome outcome = toolbox.call(alice, "read_tags", Map.of("paths", List.of("a/b")));
        assertThat(outcome.error()).isTrue();
        assertThat(outcome.structured()).containsEntry("error", "BACKEND_UNAVAILABLE");
        assertThat(outcome.text()).contains("the tag service");
    }

    @Test
    void schemasBoundWhatAnAgentMayAskFor() {
        assertThat(toolbox.call(alice, "read_tags", Map.of("paths", List.of())).structured()).containsEntry("error", "INVALID_ARGUMENT");
        assertThat(toolbox.call(alice, "list_alarms", Map.of("states", List.of("HIDDEN"))).structured())
                .containsEntry("error", "INVALID_ARGUMENT");
        assertThat(toolbox.call(alice, "query", Map.of("sql", "SELECT 1", "limit", 0)).structured())
                .containsEntry("error", "INVALID_ARGUMENT");
        assertThat(toolbox.call(alice, "find_tags", Map.of("filter", "paths")).structured())
                .containsEntry("error", "INVALID_ARGUMENT");
    }

    @Test
    void everyToolDescriptionThatReturnsRegistryTextWarnsThatItIsData() {
        assertThat(toolbox.tools().values()).filteredOn(t -> !t.name().equals("explain") && !t.name().equals("alarm_history_hint"))
                .allSatisfy(t -> assertThat(t.description()).contains("untrusted"));
    }
}
