package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import nexus.core.AuditRecord;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** Which refusals the audit counts instead of recording one by one, and what it bounds (from a review). */
class ToolboxLimitsTest {

    private final Caller alice = Caller.of("alice", java.util.Set.of("viewer"), "mcp 127.0.0.1");

    private final TestBackends backends = new TestBackends();
    private final List<AuditRecord> audit = backends.audit;

    private Toolbox toolbox(int burst) {
        ToolDef busy = new ToolDef("busy", "a tool whose service is saturated", Schemas.object("'x': {'type': 'string'}"), false,
                call -> {
                    throw new NexusException(ErrorCode.OVERLOADED, "more queries arrive than the service runs and queues");
                });
        return new Toolbox(List.of(busy), new DefaultJsonSchemaValidator(Schemas.json()), new RateLimiter(60, burst), backends,
                () -> 0L);
    }

    /** OVERLOADED of the query service's admission control is no rate-limit refusal: each such call must be audited. */
    @Test
    void aServiceOverloadIsAuditedEveryTimeNotCountedAsARateLimitRefusal() {
        Toolbox toolbox = toolbox(100);
        for (int i = 0; i < 5; i++) {
            assertThat(toolbox.call(alice, "busy", Map.of()).structured()).containsEntry("error", "OVERLOADED");
        }
        assertThat(audit).hasSize(5);
    }

    /** The gate's refusals (unknown tool, non-object arguments) are audited but take no token: an agent in a loop floods the audit. */
    @Test
    void refusalsOfTheGateAreRateLimitedLikeAnyCall() {
        Toolbox toolbox = toolbox(1);
        for (int i = 0; i < 100; i++) {
            toolbox.refuse(alice, "no_such_tool", Map.of(), toolbox.unknown("no_such_tool"));
        }
        assertThat(audit).as("100 unknown-tool calls at burst 1").hasSizeLessThan(10);
    }

    /** A tools/call name is client text of up to 1 MiB (McpGate.MAX_BODY): the audit record must bound it as it bounds arguments. */
    @Test
    void anUnknownToolsNameIsCutInTheAuditLikeArguments() {
        Toolbox toolbox = toolbox(100);
        String name = "x".repeat(300_000);
        toolbox.refuse(alice, name, Map.of(), toolbox.unknown(name));
        assertThat(audit).singleElement().satisfies(r -> {
            assertThat(r.name().length()).isLessThan(Toolbox.MAX_ARGS);
            assertThat(r.detail().length()).isLessThan(2 * Toolbox.MAX_ARGS);
        });
    }
}
