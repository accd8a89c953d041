package nexus.mcp.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

import nexus.alarm.ActionRequest;
import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmState;
import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Permission;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagWrite;

/**
 * The only two tools that change anything, {@code write_tag} and {@code acknowledge_alarm}, each in
 * two steps. Without {@code confirmation} a dry run: it checks the caller's role and the adapter
 * policy, reads what is there, reports exactly what would change and returns a confirmation id
 * ({@link Confirmations}: bound to the identity, the arguments and what was seen; single use; it
 * expires). With it the real call: the id is redeemed, role and policy are checked again, and the call
 * is refused ({@code CONFLICT}) when the value or the alarm state moved since the dry run; else the
 * write or the acknowledgement goes through the public service as the caller, which checks and audits
 * it as for any client. Shelve, suppress, out-of-service and disable are never offered: they hide
 * alarms from operators (docs/ai.md). Between the re-read and the change another client may still
 * act: the service's own checks hold then, the comparison narrows the window, it does not close it.
 */
final class ChangeTools {

    private final Backends backends;
    private final AgentPolicy agents;
    private final Confirmations confirmations;
    private final LongSupplier millis;

    ChangeTools(Backends backends, AgentPolicy agents, Confirmations confirmations, LongSupplier millis) {
        this.backends = backends;
        this.agents = agents;
        this.confirmations = confirmations;
        this.millis = millis;
    }

    List<ToolDef> tools() {
        String two = " Two steps: call without 'confirmation' for a dry run that says exactly what would change and"
                + " returns a confirmation id (valid " + confirmations.lifetime().toSeconds() + " s, once); then repeat the"
                + " same arguments with 'confirmation' to do it. Refused if it moved since, if your role does not allow it,"
                + " or if the node's MCP policy (etc/nexus.mcp.cfg) does not opt it in.";
        return List.of(
                new ToolDef("write_tag", "Writes one value to one writable tag." + two + ToolDef.UNTRUSTED,
                        Schemas.object("'path': {'type': 'string', 'minLength': 1, 'maxLength': 1024},"
                                + " 'value': {'type': ['number', 'string', 'boolean']},"
                                + " 'confirmation': {'type': 'string', 'maxLength': 64}", "path", "value"),
                        true, this::write),
                new ToolDef("acknowledge_alarm", "Acknowledges one alarm (ISA-18.2)." + two + ToolDef.UNTRUSTED,
                        Schemas.object("'alarm': {'type': 'string', 'minLength': 1, 'maxLength': 1024},"
                                + " 'comment': {'type': 'string', 'maxLength': 500},"
                                + " 'confirmation': {'type': 'string', 'maxLength': 64}", "alarm"),
                        true, this::acknowledge));
    }

    private Access access(Call call) {
        return AccessPolicy.accessOf(backends.policy(), call.caller());
    }

    private Outcome write(Call call) {
        String path = call.string("path");
        Object value = call.args().get("value");
        agents.refuseWrite(path).ifPresent(e -> { throw e; });
        TagService tags = Backends.need(backends.tags(), "the tag service (nexus.query)");
        TagReading now = tags.get(call.caller(), path);
        access(call).refuseWrite(path, now.tag().writable(), Set.of()).ifPresent(e -> { throw e; });
        String key = path + " = " + Schemas.text(value);
        Object seen = now.value().value();
        String confirmation = call.string("confirmation");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", path);
        out.put("type", now.tag().type());
        out.put("registryText", Shapes.untrusted(Map.of("unit", String.valueOf(now.tag().unit()))));
        if (confirmation == null) {
            // the value as the write would take it, or the refusal the write would get (type, range): before any id
            Object checked = tags.check(call.caller(), new TagWrite(path, value)).value();
            String id = confirmations.issue(call.caller().user(), call.tool(), key, seen, millis.getAsLong());
            out.put("dryRun", true);
            out.put("current", seen);
            out.put("quality", now.value().quality().name());
            out.put("new", checked);
            out.put("confirmation", id);
            out.put("expiresInSeconds", confirmations.lifetime().toSeconds());
            return Outcome.ok("dry run: " + path + " would change from " + seen + " to " + checked + "; repeat with confirmation "
                    + id + " to write", out, 1);
        }
        Confirmations.Pending pending = confirmations.redeem(confirmation, call.caller().user(), call.tool(), key, millis.getAsLong());
        if (!Objects.equals(pending.seen(), seen)) {
            throw new NexusException(ErrorCode.CONFLICT, path + " moved since the dry run: it was " + pending.seen() + ", it is "
                    + seen + " now; nothing written. Run write_tag without 'confirmation' again to see the new state");
        }
        TagReading after = tags.write(call.caller(), new TagWrite(path, value));
        out.put("dryRun", false);
        out.put("before", seen);
        Shapes.value(out, after.value());
        return Outcome.ok("wrote " + path + ": " + seen + " -> " + after.value().value(), out, 1);
    }

    private Outcome acknowledge(Call call) {
        String name = call.string("alarm");
        AlarmService alarms = Backends.need(backends.alarms(), "the alarm service (nexus.alarm)");
        Alarm alarm = alarms.get(call.caller(), name);
        agents.refuseAcknowledge(name, alarm.tag()).ifPresent(e -> { throw e; });
        access(call).refuseAction("acknowledge", Permission.ACKNOWLEDGE, name, alarm.tag()).ifPresent(e -> { throw e; });
        AlarmState state = alarm.state();
        if (state != AlarmState.UNACK_ALARM && state != AlarmState.RTN_UNACK) {
            throw new NexusException(ErrorCode.CONFLICT, "alarm " + name + " is " + state + ": there is nothing to acknowledge"
                    + " (only UNACK_ALARM and RTN_UNACK are)");
        }
        String comment = call.string("comment");
        String key = name + (comment == null ? "" : " / " + comment);
        String seen = state.name() + " #" + alarm.sequence();
        String confirmation = call.string("confirmation");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alarm", name);
        out.put("tag", alarm.tag());
        out.put("severity", alarm.definition().severity().name());
        if (confirmation == null) {
            String id = confirmations.issue(call.caller().user(), call.tool(), key, seen, millis.getAsLong());
            AlarmState next = state == AlarmState.RTN_UNACK ? AlarmState.NORMAL : AlarmState.ACKED_ALARM;
            out.put("dryRun", true);
            out.put("state", state.name());
            out.put("newState", next.name());
            out.put("confirmation", id);
            out.put("expiresInSeconds", confirmations.lifetime().toSeconds());
            out.put("registryText", Shapes.untrusted(Map.of("message", String.valueOf(alarm.definition().message()))));
            return Outcome.ok("dry run: alarm " + name + " would go from " + state + " to " + next + "; repeat with confirmation "
                    + id + " to acknowledge", out, 1);
        }
        Confirmations.Pending pending = confirmations.redeem(confirmation, call.caller().user(), call.tool(), key, millis.getAsLong());
        if (!pending.seen().equals(seen)) {
            throw new NexusException(ErrorCode.CONFLICT, "alarm " + name + " moved since the dry run (" + pending.seen() + ", now "
                    + seen + "); nothing acknowledged. Run acknowledge_alarm without 'confirmation' again");
        }
        Alarm after = alarms.act(name, AlarmAction.ACKNOWLEDGE, ActionRequest.of(call.caller(),
                comment == null ? "via MCP" : comment + " (via MCP)"));
        out.put("dryRun", false);
        out.put("before", state.name());
        out.put("state", after.state().name());
        return Outcome.ok("acknowledged " + name + ": " + state + " -> " + after.state(), out, 1);
    }
}
