package nexus.mcp.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * {@value #MAX_ARGS} characters, the rows returned, the result). Refusals and failures of a tool
 * become tool error results naming the reason, never transport errors. Thread-safe.
 *
 * <p>Refusals by the rate limit are the one exception, so that an agent in a loop cannot flood the
 * audit stream: the first of an identity is recorded like any call; the ones after it are counted
 * per tool, and the count is recorded as one {@value #RATE_LIMITED} record when the identity's next
 * call is not refused, when a refusal comes more than a minute after the first, or when the server
 * stops.
 */
final class Toolbox {

    private static final Logger LOG = LoggerFactory.getLogger(Toolbox.class);

    /** The most characters of a call's arguments the audit record keeps. */
    static final int MAX_ARGS = 1_000;
    /** The most characters of a tool name the client sent that answers and records keep. */
    static final int MAX_NAME = 100;
    /** The name under which resource reads are audited and rate-limited like tool calls. */
    static final String READ_RESOURCE = "read_resource";
    /** The name of the record that counts refusals by the rate limit. */
    static final String RATE_LIMITED = "rate_limited";
    /** How long refusals by the rate limit are counted into one record, at most. */
    static final long WINDOW_NANOS = 60_000_000_000L;

    private final Map<String, ToolDef> tools;
    private final JsonSchemaValidator validator;
    private final RateLimiter limiter;
    private final Backends backends;
    private final LongSupplier nanos;
    /** Per identity, the refusals by the rate limit counted since its last recorded one. */
    private final Map<String, Refusals> counted = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Refusals> eldest) {
            if (size() <= RateLimiter.IDENTITIES) {
                return false;
            }
            record(eldest.getValue());
            return true;
        }
    };

    /** The refusals of one identity counted since {@code since} (nanos), per tool. */
    private static final class Refusals {
        final Caller caller;
        final long since;
        final Map<String, Integer> byTool = new TreeMap<>();
        int total;

        Refusals(Caller caller, long since) {
            this.caller = caller;
            this.since = since;
        }
    }

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
        boolean limited = false;
        try {
            outcome = run(caller, name, args);
        } catch (RateLimiter.Limited e) {
            outcome = Outcome.refused(e);
            limited = true;
        } catch (NexusException e) {
            outcome = Outcome.refused(e);
        } catch (RuntimeException e) {
            LOG.warn("MCP tool {} failed for {}", name, caller.user(), e);
            outcome = Outcome.refused(new NexusException(ErrorCode.INTERNAL, "the tool failed (" + e.getClass().getSimpleName()
                    + "); the node's log has the details"));
        }
        audit(caller, name, args, outcome, limited);
        return outcome;
    }

    /**
     * Refuses a tool call that cannot be made as asked (no such tool, no name, arguments that are not
     * an object): under the rate limit and audited like any call, the client's name cut to
     * {@value #MAX_NAME} characters.
     */
    Outcome refuse(Caller caller, String name, Object arguments, NexusException why) {
        String tool = cut(name);
        try {
            limiter.take(caller.user(), nanos.getAsLong());
        } catch (RateLimiter.Limited e) {
            Outcome limited = Outcome.refused(e);
            audit(caller, tool, arguments, limited, true);
            return limited;
        }
        Outcome outcome = Outcome.refused(why);
        audit(caller, tool, arguments, outcome, false);
        return outcome;
    }

    /**
     * Reads a resource as the caller, under the identity's rate limit, audited as {@value #READ_RESOURCE}.
     *
     * @throws NexusException why it cannot be read (OVERLOADED with a retry hint over the limit;
     *                        INTERNAL, logged, when the reader failed)
     */
    Map<String, Object> read(Caller caller, String uri, Function<Caller, Map<String, Object>> reader) {
        Map<String, Object> args = Map.of("uri", uri);
        try {
            limiter.take(caller.user(), nanos.getAsLong());
            Map<String, Object> answer = reader.apply(caller);
            audit(caller, READ_RESOURCE, args, Outcome.ok("read", answer, rows(answer)), false);
            return answer;
        } catch (RateLimiter.Limited e) {
            audit(caller, READ_RESOURCE, args, Outcome.refused(e), true);
            throw e;
        } catch (NexusException e) {
            audit(caller, READ_RESOURCE, args, Outcome.refused(e), false);
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("MCP resource {} failed for {}", uri, caller.user(), e);
            NexusException failed = new NexusException(ErrorCode.INTERNAL, "the resource could not be read ("
                    + e.getClass().getSimpleName() + "); the node's log has the details");
            audit(caller, READ_RESOURCE, args, Outcome.refused(failed), false);
            throw failed;
        }
    }

    /** Records the refusals still counted: the server stops. */
    synchronized void flush() {
        counted.values().forEach(this::record);
        counted.clear();
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
        return new NexusException(ErrorCode.NOT_FOUND, "there is no tool '" + cut(name) + "'; the tools are "
                + String.join(", ", tools.keySet()) + " (tools/list describes them)");
    }

    private static String cut(String name) {
        String n = String.valueOf(name);
        return n.length() <= MAX_NAME ? n : n.substring(0, MAX_NAME) + "…";
    }

    private void audit(Caller caller, String name, Object args, Outcome outcome, boolean limited) {
        long now = nanos.getAsLong();
        Refusals done = null;
        boolean count = false;
        synchronized (this) {
            Refusals refusals = counted.get(caller.user());
            if (!limited) {
                done = refusals == null ? null : counted.remove(caller.user());
            } else if (refusals != null && now - refusals.since < WINDOW_NANOS) {
                refusals.byTool.merge(name, 1, Integer::sum);
                refusals.total++;
                count = true;
            } else {
                done = refusals;
                counted.put(caller.user(), new Refusals(caller, now)); // this one is recorded; the next ones counted
            }
        }
        if (done != null) {
            record(done); // outside the lock: appending may wait for the journal
        }
        if (!count) {
            append(caller, name, args, outcome);
        }
    }

    /** Appends the record of counted refusals, when there are any. */
    private void record(Refusals refusals) {
        if (refusals.total == 0) {
            return;
        }
        long seconds = Math.max(1, (nanos.getAsLong() - refusals.since) / 1_000_000_000L);
        String detail = refusals.total + " more calls by this identity were refused by the rate limit in the " + seconds
                + " s after the one recorded before (per tool in 'before')";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", ErrorCode.OVERLOADED.name());
        body.put("message", detail);
        append(refusals.caller, RATE_LIMITED, refusals.byTool, new Outcome(true, detail, body, refusals.total));
    }

    private void append(Caller caller, String name, Object args, Outcome outcome) {
        AuditTrail trail = backends.audit();
        if (trail == null) {
            LOG.warn("MCP call {} by {} was not audited: the audit trail is not running", name, caller.user());
            return;
        }
        String text = Schemas.text(args);
        String bounded = text.length() <= MAX_ARGS ? text : text.substring(0, MAX_ARGS) + "… (" + text.length() + " characters)";
        String result = outcome.error() ? String.valueOf(outcome.structured().get("error")) : AuditRecord.OK;
        String detail = outcome.error() ? String.valueOf(outcome.structured().get("message")) : outcome.rows() + " rows";
        Integer after = outcome.error() && !RATE_LIMITED.equals(name) ? null : outcome.rows();
        try {
            trail.append(new AuditRecord(0, null, caller, AuditRecord.Target.TOOL, name, "call", bounded, after, result,
                    outcome.error(), detail));
        } catch (RuntimeException e) {
            LOG.warn("MCP call {} by {} was not audited: {}", name, caller.user(), e.getMessage());
        }
    }
}
