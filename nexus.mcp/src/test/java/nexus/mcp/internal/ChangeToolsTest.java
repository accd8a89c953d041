package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import nexus.alarm.AlarmService;
import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.query.FindService;
import nexus.query.Quality;
import nexus.query.QueryService;
import nexus.query.TagInfo;
import nexus.query.TagFolder;
import nexus.query.TagPage;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagValue;
import nexus.query.TagWatch;
import nexus.query.TagWrite;
import nexus.query.WriteResult;

class ChangeToolsTest {

    private static final String SP = "site1/line3/tank1/sp";

    private final List<TagWrite> written = new ArrayList<>();
    private volatile Object value = 20.0;
    private final AtomicLong now = new AtomicLong();

    private final TagService tags = new TagService() {
        @Override public TagReading get(Caller caller, String path) {
            if (!path.equals(SP)) {
                throw new NexusException(ErrorCode.TAG_NOT_FOUND, "no tag " + path);
            }
            TagInfo info = new TagInfo(1, SP, "FLOAT64", "process", 0, 0, 8, "°C", "setpoint", true, 0.0, 100.0, Map.of());
            return new TagReading(info, new TagValue(value, Quality.GOOD, 1));
        }
        @Override public TagReading write(Caller caller, TagWrite write) {
            written.add(write);
            value = write.value();
            return get(caller, write.path());
        }
        @Override public TagPage list(Caller caller, String prefix, String cursor, int limit) { throw new UnsupportedOperationException(); }
        @Override public TagFolder browse(Caller caller, String prefix, int limit) { throw new UnsupportedOperationException(); }
        @Override public TagWrite check(Caller caller, TagWrite write) {
            if (!(write.value() instanceof Number n) || n.doubleValue() > 100) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, write.path() + " takes a number from 0 to 100");
            }
            return new TagWrite(write.path(), n.doubleValue());
        }
        @Override public List<TagReading> read(Caller caller, List<String> paths) { throw new UnsupportedOperationException(); }
        @Override public List<TagReading> readIds(Caller caller, long[] ids) { throw new UnsupportedOperationException(); }
        @Override public TagWatch watch(Caller caller, List<String> paths) { throw new UnsupportedOperationException(); }
        @Override public List<WriteResult> write(Caller caller, List<TagWrite> writes) { throw new UnsupportedOperationException(); }
    };

    /** operator writes under site1/**, viewer reads only. */
    private final AccessPolicy policy = caller -> caller.roles().contains("operator")
            ? new Access(caller.roles(), Set.of(Permission.READ, Permission.WRITE), PathScope.ALL, PathScope.of("site1/**"), 0, 0)
            : new Access(caller.roles(), Set.of(Permission.READ), PathScope.ALL, PathScope.NONE, 0, 0);

    private final Backends backends = new Backends() {
        @Override public QueryService query() { return null; }
        @Override public TagService tags() { return tags; }
        @Override public FindService find() { return null; }
        @Override public AlarmService alarms() { return null; }
        @Override public AuditTrail audit() { return null; }
        @Override public AccessPolicy policy() { return policy; }
    };

    private final Caller operator = Caller.of("olga", Set.of("operator"), "mcp 127.0.0.1");
    private final Caller viewer = Caller.of("vic", Set.of("viewer"), "mcp 127.0.0.1");

    private Toolbox toolbox(String... writeGlobs) {
        ChangeTools tools = new ChangeTools(backends, AgentPolicy.of(writeGlobs, null), new Confirmations(Duration.ofMinutes(2)), now::get);
        return new Toolbox(tools.tools(), new DefaultJsonSchemaValidator(Schemas.json()), new RateLimiter(600, 100), backends, () -> 0L);
    }

    @Test
    void aDryRunSaysWhatWouldChangeAndWritesNothingThenTheConfirmationWrites() {
        Toolbox toolbox = toolbox("site1/**");
        Outcome dry = toolbox.call(operator, "write_tag", Map.of("path", SP, "value", 22.5));
        assertThat(dry.error()).isFalse();
        assertThat(dry.structured()).containsEntry("dryRun", true).containsEntry("current", 20.0).containsEntry("new", 22.5);
        assertThat(dry.structured().get("registryText")).isEqualTo(Map.of("untrusted", true, "registryText", Map.of("unit", "°C")));
        assertThat(written).isEmpty();

        Outcome done = toolbox.call(operator, "write_tag", Map.of("path", SP, "value", 22.5,
                "confirmation", dry.structured().get("confirmation")));
        assertThat(done.error()).as(done.text()).isFalse();
        assertThat(done.structured()).containsEntry("before", 20.0).containsEntry("value", 22.5);
        assertThat(written).containsExactly(new TagWrite(SP, 22.5));
    }

    @Test
    void aValueTheWriteWouldRefuseIsRefusedByTheDryRunWithoutAConfirmation() {
        Outcome dry = toolbox("site1/**").call(operator, "write_tag", Map.of("path", SP, "value", 500));
        assertThat(dry.error()).isTrue();
        assertThat(dry.structured()).containsEntry("error", "INVALID_ARGUMENT").doesNotContainKey("confirmation");
        assertThat(dry.text()).contains("0 to 100");
        assertThat(written).isEmpty();
    }

    @Test
    void aValueThatMovedSinceTheDryRunRefusesTheConfirmation() {
        Toolbox toolbox = toolbox("site1/**");
        Object id = toolbox.call(operator, "write_tag", Map.of("path", SP, "value", 22.5)).structured().get("confirmation");
        value = 21.0;
        Outcome moved = toolbox.call(operator, "write_tag", Map.of("path", SP, "value", 22.5, "confirmation", id));
        assertThat(moved.structured()).containsEntry("error", "CONFLICT");
        assertThat(moved.text()).contains("moved since the dry run");
        assertThat(written).isEmpty();
    }

    @Test
    void theConfirmationMustRepeatTheSameArgumentsAndExpires() {
        Toolbox toolbox = toolbox("site1/**");
        Object one = toolbox.call(operator, "write_tag", Map.of("path", SP, "value", 22.5)).structured().get("confirmation");
        assertThat(toolbox.call(operator, "write_tag", Map.of("path", SP, "value", 99.0, "confirmation", one)).text())
                .contains("other arguments");
        Object two = toolbox.call(operator, "write_tag", Map.of("path", SP, "value", 22.5)).structured().get("confirmation");
        now.addAndGet(Duration.ofMinutes(3).toMillis());
        assertThat(toolbox.call(operator, "write_tag", Map.of("path", SP, "value", 22.5, "confirmation", two)).text())
                .contains("expired");
        assertThat(written).isEmpty();
    }

    @Test
    void bothTheRoleAndThePolicyMustAllowIt() {
        Outcome byRole = toolbox("site1/**").call(viewer, "write_tag", Map.of("path", SP, "value", 22.5));
        assertThat(byRole.structured()).containsEntry("error", "FORBIDDEN");
        assertThat(byRole.text()).contains("'write'");
        Outcome byPolicy = toolbox("site2/**").call(operator, "write_tag", Map.of("path", SP, "value", 22.5));
        assertThat(byPolicy.structured()).containsEntry("error", "FORBIDDEN");
        assertThat(byPolicy.text()).contains("write.tags");
        Outcome byDefault = toolbox().call(operator, "write_tag", Map.of("path", SP, "value", 22.5));
        assertThat(byDefault.text()).contains("agents write nothing");
        assertThat(written).isEmpty();
    }

    @Test
    void onlyAcknowledgeAndWriteAreOffered() {
        assertThat(toolbox("site1/**").tools().keySet()).containsExactly("write_tag", "acknowledge_alarm");
    }
}
