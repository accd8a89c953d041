package nexus.mcp.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
 * Runs what an agent asks of the node — tool calls and resource reads — as the caller: the
 * identity's rate limit first, then (for a tool) the arguments against the tool's schema, then the
 * handler. Every call, answered or refused, goes to the audit trail (target {@code TOOL}: the
 * identity, the tool — {@value #READ_RESOURCE} for a resource read —, the arguments as JSON cut to
 * {@value #MAX_ARGS} characters, the rows returned, the result). Calls refused by the rate limit are
 * audited once a minute per identity, with how many were refused since, so that an agent in a loop
 * cannot flood the audit stream. Refusals and failures of a tool become tool error results naming
 * the reason, never transport errors. Thread-safe.
 */
final class Toolbox {

    private static final Logger LOG = LoggerFactory.getLogger(Toolbox.class);

    /** The most characters of a call's arguments the audit record keeps. */
    static final int MAX_ARGS = 1_000;
    /** The name under which resource reads are audited and rate-limited like tool calls. */
    static final String READ_RESOURCE = "read_resource";
    /** How long, per identity, refusals by the rate limit are counted rather than audited one by one. */
    static final long OVERLOAD_AUDIT_NANOS = 60_000_000_000L;

    private final Map<String, ToolDef> tools;
    private final JsonSchemaValidator validator;
    private final RateLimiter limiter;
    private final Backends backends;
    private final LongSupplier nanos;
    /** Per identity: [refusals by the rate limit not audited yet, when the last one was audited]. */
    private final Map<String, long[]> overloads = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > RateLimiter.IDENTITIES;
        }
    };

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
    Outcome call(Caller caller, String name, Map<String, Object> arguments) {
        Map<String, Object> args = arguments == null ? Map.of() : arguments;
        Outcome outcome;
        try {
            outcome = run(caller, name, args);
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

    /**
     * Refuses a tool call that cannot be made as asked (no such tool, arguments that are not an
     * object), audited like any call.
     */
    Outcome refuse(Caller caller, String name, Object arguments, NexusException why) {
        Outcome outcome = Outcome.refused(why);
        audit(caller, String.valueOf(name), arguments, outcome);
        return outcome;
    }

    /**
     * Reads a resource as the caller, under the identity's rate limit, audited as {@value #READ_RESOURCE}.
     *
     * @throws NexusException why it cannot be read (OVERLOADED with a retry hint over the limit)
     */
    Map<String, Object> read(Caller caller, String uri, Function<Caller, Map<String, Object>> reader) {
        Map<String, Object> args = Map.of("uri", uri);
        try {
            limiter.take(caller.user(), nanos.getAsLong());
            Map<String, Object> answer = reader.apply(caller);
            audit(caller, READ_RESOURCE, args, Outcome.ok("read", answer, rows(answer)));
            return answer;
        } catch (NexusException e) {
            audit(caller, READ_RESOURCE, args, Outcome.refused(e));
            throw e;
        }
    }

    private static int rows(Map<String, Object> answer) {
        for (Object value : answer.values()) {
            if (value instanceof List<?> list) {
                return list.size();
            }
        }
        return 1;
    }

    private Outcome run(Caller caller, String name, Map<String, Object> args) {
        ToolDef tool = tools.get(name);
        if (tool == null) {
            throw unknown(name);
        }
        limiter.take(caller.user(), nanos.getAsLong()); // the identity's, whatever its connections
        JsonSchemaValidator.ValidationResponse check = validator.validate(tool.schema(), args);
        if (!check.valid()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the arguments of " + name + " do not fit its input schema: "
                    + check.errorMessage());
        }
        return tool.handler().apply(new Call(caller, name, args));
    }

    /** @return the refusal of a call to a tool that does not exist, naming the ones that do */
    NexusException unknown(String name) {
        return new NexusException(ErrorCode.NOT_FOUND, "there is no tool '" + name + "'; the tools are "
                + String.join(", ", tools.keySet()) + " (tools/list describes them)");
    }

    private void audit(Caller caller, String name, Object args, Outcome outcome) {
        String detail = outcome.error() ? String.valueOf(outcome.structured().get("message")) : outcome.rows() + " rows";
        if (outcome.error() && ErrorCode.OVERLOADED.name().equals(outcome.structured().get("error"))) {
            long more = overloadsSince(caller.user());
            if (more < 0) {
                return; // counted; the next audited refusal says how many
            }
            if (more > 0) {
                detail += " (and " + more + " more calls by this identity refused by the rate limit since the last such line)";
            }
        }
        AuditTrail trail = backends.audit();
        if (trail == null) {
            LOG.warn("MCP call {} by {} was not audited: the audit trail is not running", name, caller.user());
            return;
        }
        String text = Schemas.text(args);
        String bounded = text.length() <= MAX_ARGS ? text : text.substring(0, MAX_ARGS) + "… (" + text.length() + " characters)";
        String result = outcome.error() ? String.valueOf(outcome.structured().get("error")) : AuditRecord.OK;
        try {
            trail.append(new AuditRecord(0, null, caller, AuditRecord.Target.TOOL, name, "call", bounded,
                    outcome.error() ? null : outcome.rows(), result, outcome.error(), detail));
        } catch (RuntimeException e) {
            LOG.warn("MCP call {} by {} was not audited: {}", name, caller.user(), e.getMessage());
        }
    }

    /**
     * @return -1 when this refusal by the rate limit is only counted; else how many were counted
     *         since the identity's last audited one (which this one now is)
     */
    private synchronized long overloadsSince(String identity) {
        long now = nanos.getAsLong();
        long[] seen = overloads.get(identity);
        if (seen == null) {
            overloads.put(identity, new long[] {0, now});
            return 0;
        }
        if (now - seen[1] < OVERLOAD_AUDIT_NANOS) {
            seen[0]++;
            return -1;
        }
        long more = seen[0];
        seen[0] = 0;
        seen[1] = now;
        return more;
    }
}
