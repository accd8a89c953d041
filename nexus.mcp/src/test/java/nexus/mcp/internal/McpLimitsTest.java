package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
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
import nexus.query.Quality;
import nexus.query.TagInfo;
import nexus.query.TagPage;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagValue;
import nexus.query.TagWatch;
import nexus.query.TagWrite;
import nexus.query.WriteResult;

/**
 * Defects found by attacking a running node's MCP server (review of nexus.mcp). Each test states the
 * behaviour the manual (docs/ai.md) promises and fails on the code as it is.
 */
class McpLimitsTest {

    private final Caller mallory = Caller.of("mallory", Set.of("operator"), "mcp 127.0.0.1");

    /**
     * A bucket per MCP session let an agent that opened a new session every {@code burst} calls escape
     * the limit (800 calls in 10 s over 40 sessions, against 120 a minute). The server has no sessions
     * now, and the bucket is the identity's: ten clients of one identity share it.
     */
    @Test
    void anIdentityCannotEscapeTheRateLimitWithManyClients() {
        Toolbox toolbox = toolbox(3);
        long refused = 0;
        for (int client = 0; client < 10; client++) {
            for (int i = 0; i < 3; i++) {
                if (toolbox.call(mallory, "echo", Map.of()).error()) {
                    refused++;
                }
            }
        }
        assertThat(refused).as("30 calls by one identity at one instant, burst 3").isGreaterThanOrEqualTo(27);
    }

    /**
     * The pending confirmations were one pool for every identity: one operator agent filled it in 12 s
     * and every other identity's write_tag and acknowledge_alarm were refused OVERLOADED. Each identity
     * now holds at most {@link Confirmations#PER_USER}; its oldest goes first.
     */
    @Test
    void oneIdentityCannotExhaustTheConfirmationsOfEveryOther() {
        Confirmations confirmations = new Confirmations(Duration.ofMinutes(2));
        for (int i = 0; i < Confirmations.MAX; i++) {
            confirmations.issue("mallory", "write_tag", "a/b = " + i, 0.0, 0);
        }
        assertThatCode(() -> confirmations.issue("alice", "write_tag", "a/b = 1", 0.0, 1))
                .as("alice's dry run while mallory holds 1000 pending confirmations").doesNotThrowAnyException();
    }

    private static Toolbox toolbox(int burst) {
        ToolDef echo = new ToolDef("echo", "echoes", Schemas.object("'text': {'type': 'string'}"), false,
                call -> Outcome.ok("ok", Map.of(), 0));
        return new Toolbox(List.of(echo), new DefaultJsonSchemaValidator(Schemas.json()), new RateLimiter(60, burst), backends(null), () -> 0L);
    }

    private static Backends backends(TagService tags) {
        return new Backends() {
            @Override public QueryService query() { return null; }
            @Override public TagService tags() { return tags; }
            @Override public FindService find() { return null; }
            @Override public AlarmService alarms() { return null; }
            @Override public AccessPolicy policy() { return null; }
            @Override public AuditTrail audit() { return null; }
        };
    }
}
