package nexus.mcp.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * Runs tool calls: the session's rate limit first, then the arguments against the tool's schema,
 * then the handler as the caller, and every call — answered or refused — goes to the audit trail
 * (target {@code TOOL}: the identity, the tool, the arguments cut to {@value #MAX_ARGS} characters,
 * the rows returned, the result). Refusals and failures become tool error results naming the
 * reason, never transport errors. Thread-safe.
 */
final class Toolbox {

    private static final Logger LOG = LoggerFactory.getLogger(Toolbox.class);

    /** The most characters of a call's arguments the audit record keeps. */
    static final int MAX_ARGS = 1_000;

    private final Map<String, ToolDef> tools;
    private final JsonSchemaValidator validator;
    private final RateLimiter limiter;
    private final Backends backends;
    private final LongSupplier nanos;

    Toolbox(List<ToolDef> tools, JsonSchemaValidator validator, RateLimiter limiter, Backends backends, LongSupplier nanos) {
        Map<String, ToolDef> byName = new LinkedHashMap<>();
        tools.forEach(t -> byName.put(t.name(), t));
        this.tools = Collections.unmodifiableMap(byName);
        this.validator = validator;
        this.limiter = limiter;
        this.backends = backends;
        this.nanos = nanos;
    }

    Map<String, ToolDef> tools() {
        return tools;
    }

    /** @return the tool's answer, or a tool error naming why there is none */
    Outcome call(Caller caller, String session, String name, Map<String, Object> arguments) {
        Map<String, Object> args = arguments == null ? Map.of() : arguments;
        Outcome outcome;
        try {
            outcome = run(caller, session, name, args);
        } catch (NexusException e) {
            outcome = Outcome.refused(e);
        } catch (RuntimeException e) {
            LOG.warn("MCP tool {} failed for {}", name, caller.user(), e);
            outcome = Outcome.refused(new NexusException(ErrorCode.INTERNAL, "the tool failed (" + e.getClass().getSimpleName()
                    + "); the node's log has the details"));
        }
        audit(caller, name, args, outcome);
        return outcome;
    }

    private Outcome run(Caller caller, String session, String name, Map<String, Object> args) {
        ToolDef tool = tools.get(name);
        if (tool == null) {
            throw new NexusException(ErrorCode.NOT_FOUND, "there is no tool '" + name + "'; the tools are " + String.join(", ", tools.keySet()));
        }
        limiter.take(caller.user(), nanos.getAsLong()); // the identity's: a new session is no new bucket
        JsonSchemaValidator.ValidationResponse check = validator.validate(tool.schema(), args);
        if (!check.valid()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the arguments of " + name + " do not fit its input schema: "
                    + check.errorMessage());
        }
        return tool.handler().apply(new Call(caller, session, name, args));
    }

    private void audit(Caller caller, String name, Map<String, Object> args, Outcome outcome) {
        AuditTrail trail = backends.audit();
        if (trail == null) {
            LOG.warn("MCP tool {} called by {} was not audited: the audit trail is not running", name, caller.user());
            return;
        }
        String text = String.valueOf(args);
        String bounded = text.length() <= MAX_ARGS ? text : text.substring(0, MAX_ARGS) + "… (" + text.length() + " characters)";
        String result = outcome.error() ? String.valueOf(outcome.structured().get("error")) : AuditRecord.OK;
        String detail = outcome.error() ? String.valueOf(outcome.structured().get("message")) : outcome.rows() + " rows";
        try {
            trail.append(new AuditRecord(0, null, caller, AuditRecord.Target.TOOL, name, "call", bounded,
                    outcome.error() ? null : outcome.rows(), result, outcome.error(), detail));
        } catch (RuntimeException e) {
            LOG.warn("MCP tool {} called by {} was not audited: {}", name, caller.user(), e.getMessage());
        }
    }
}
