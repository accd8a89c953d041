package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import nexus.core.AuditRecord;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

class ToolboxTest {

    private final AtomicInteger ran = new AtomicInteger();
    private final Caller alice = Caller.of("alice", java.util.Set.of("viewer"), "mcp 127.0.0.1");

    private final TestBackends backends = new TestBackends();
    private final List<AuditRecord> audit = backends.audit;

    private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

    private Toolbox toolbox(int burst) {
        ToolDef echo = new ToolDef("echo", "echoes", Schemas.object("'text': {'type': 'string', 'maxLength': 5}", "text"), false,
                call -> {
                    ran.incrementAndGet();
                    if (call.string("text").equals("boom")) {
                        throw new NexusException(ErrorCode.FORBIDDEN, "not for you");
                    }
                    return Outcome.ok("said " + call.string("text"), Map.of("text", call.string("text")), 1);
                });
        return new Toolbox(List.of(echo), new DefaultJsonSchemaValidator(Schemas.json()), new RateLimiter(60, burst), backends, nanos::get);
    }

    @Test
    void aCallIsAnsweredAndAuditedWithItsIdentityArgumentsAndRows() {
        Outcome outcome = toolbox(5).call(alice, "echo", Map.of("text", "hi"));
        assertThat(outcome.error()).isFalse();
        assertThat(outcome.structured()).containsEntry("text", "hi");
        assertThat(audit).singleElement().satisfies(r -> {
            assertThat(r.caller()).isEqualTo(alice);
            assertThat(r.target()).isEqualTo(AuditRecord.Target.TOOL);
            assertThat(r.name()).isEqualTo("echo");
            assertThat(r.before()).as("the arguments as JSON").isEqualTo("{\"text\":\"hi\"}");
            assertThat(r.after()).isEqualTo(1);
            assertThat(r.result()).isEqualTo(AuditRecord.OK);
        });
    }

    @Test
    void argumentsThatMissTheSchemaAreAToolErrorNamingWhyAndTheHandlerNeverRuns() {
        Toolbox toolbox = toolbox(5);
        Outcome unknown = toolbox.call(alice, "echo", Map.of("text", "hi", "extra", 1));
        Outcome tooLong = toolbox.call(alice, "echo", Map.of("text", "far too long"));
        Outcome missing = toolbox.call(alice, "echo", Map.of());
        for (Outcome o : List.of(unknown, tooLong, missing)) {
            assertThat(o.error()).isTrue();
            assertThat(o.structured()).containsEntry("error", "INVALID_ARGUMENT");
        }
        assertThat(unknown.text()).contains("extra");
        assertThat(missing.text()).contains("text");
        assertThat(ran).hasValue(0);
        assertThat(audit).hasSize(3).allSatisfy(r -> {
            assertThat(r.refused()).isTrue();
            assertThat(r.result()).isEqualTo("INVALID_ARGUMENT");
        });
    }

    @Test
    void aRefusalOfTheServiceIsAToolErrorAndAudited() {
        Outcome outcome = toolbox(5).call(alice, "echo", Map.of("text", "boom"));
        assertThat(outcome.error()).isTrue();
        assertThat(outcome.text()).isEqualTo("FORBIDDEN: not for you");
        assertThat(audit).singleElement().satisfies(r -> assertThat(r.detail()).isEqualTo("not for you"));
    }

    @Test
    void overTheRateLimitACallIsRefusedWithARetryHint() {
        Toolbox toolbox = toolbox(1);
        toolbox.call(alice, "echo", Map.of("text", "a"));
        Outcome second = toolbox.call(alice, "echo", Map.of("text", "b"));
        assertThat(second.error()).isTrue();
        assertThat(second.structured()).containsEntry("error", "OVERLOADED").containsEntry("retryAfterSeconds", 1L);
        assertThat(ran).hasValue(1);
    }

    @Test
    void anUnknownToolNamesTheTools() {
        Outcome outcome = toolbox(5).call(alice, "nope", Map.of());
        assertThat(outcome.error()).isTrue();
        assertThat(outcome.text()).contains("echo");
    }

    @Test
    void longArgumentsAreCutInTheAudit() {
        toolbox(5).call(alice, "echo", Map.of("text", "x".repeat(5_000)));
        assertThat((String) audit.get(0).before()).hasSizeLessThan(Toolbox.MAX_ARGS + 40).contains("characters)");
    }

    @Test
    void refusalsByTheRateLimitAreCountedPerToolAndRecordedOnceTheIdentityIsServedAgain() {
        Toolbox toolbox = toolbox(1);
        toolbox.call(alice, "echo", Map.of("text", "a"));
        for (int i = 0; i < 500; i++) {
            assertThat(toolbox.call(alice, "echo", Map.of("text", "b")).structured()).containsEntry("error", "OVERLOADED");
        }
        toolbox.refuse(alice, "nope", Map.of(), toolbox.unknown("nope"));
        assertThat(audit).as("the answered call and the first refusal; 500 refusals counted").hasSize(2);
        nanos.addAndGet(Toolbox.WINDOW_NANOS / 2);
        toolbox.call(alice, "echo", Map.of("text", "c")); // refilled: 30 s at 60 a minute
        assertThat(audit).hasSize(4);
        AuditRecord summary = audit.get(2);
        assertThat(summary.name()).isEqualTo(Toolbox.RATE_LIMITED);
        assertThat(summary.result()).isEqualTo("OVERLOADED");
        assertThat(summary.after()).isEqualTo(500);
        assertThat(summary.before()).isEqualTo("{\"echo\":499,\"nope\":1}");
        assertThat(audit.get(3).result()).isEqualTo(AuditRecord.OK);
    }

    @Test
    void aRefusalAMinuteAfterTheFirstRecordsTheCountAndItself() {
        Toolbox toolbox = toolbox(1);
        toolbox.call(alice, "echo", Map.of("text", "a"));
        toolbox.call(alice, "echo", Map.of("text", "b"));
        toolbox.call(alice, "echo", Map.of("text", "c"));
        nanos.addAndGet(Toolbox.WINDOW_NANOS + 1);
        toolbox.call(alice, "echo", Map.of("text", "d")); // refilled: served, the count recorded
        toolbox.call(alice, "echo", Map.of("text", "e")); // refused: a new first
        assertThat(audit).extracting(AuditRecord::name).containsExactly("echo", "echo", Toolbox.RATE_LIMITED, "echo", "echo");
        assertThat(audit.get(4).result()).isEqualTo("OVERLOADED");
    }

    @Test
    void countedRefusalsAreRecordedWhenTheServerStops() {
        Toolbox toolbox = toolbox(1);
        toolbox.call(alice, "echo", Map.of("text", "a"));
        toolbox.call(alice, "echo", Map.of("text", "b"));
        toolbox.call(alice, "echo", Map.of("text", "c"));
        toolbox.flush();
        assertThat(audit).extracting(AuditRecord::name).containsExactly("echo", "echo", Toolbox.RATE_LIMITED);
    }

    @Test
    void aResourceReadIsRateLimitedAndAudited() {
        Toolbox toolbox = toolbox(1);
        Map<String, Object> answer = toolbox.read(alice, "nexus://tags/site1", caller -> Map.of("children", List.of(1, 2, 3)));
        assertThat(answer).containsKey("children");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> toolbox.read(alice, "nexus://tags/site1", caller -> Map.of()))
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED));
        assertThat(audit).hasSize(2);
        assertThat(audit.get(0).name()).isEqualTo(Toolbox.READ_RESOURCE);
        assertThat(audit.get(0).before()).isEqualTo("{\"uri\":\"nexus://tags/site1\"}");
        assertThat(audit.get(0).after()).isEqualTo(3);
        assertThat(audit.get(1).result()).isEqualTo("OVERLOADED");
    }
}
