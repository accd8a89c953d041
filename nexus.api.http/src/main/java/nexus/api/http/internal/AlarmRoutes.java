package nexus.api.http.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.alarm.Alarm;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmState;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.AlarmDefinition;
import nexus.core.Severity;

/**
 * {@code /api/v1/alarms}: the list, one alarm, and the operator actions. Alarm names keep their
 * slashes in the URL, as tag paths do; an action is the last segment of a POST
 * ({@code POST /api/v1/alarms/plant1/line1/tt101/hi/ack}).
 */
final class AlarmRoutes {

    /** The action segments, in the order the documentation lists them. */
    static final List<String> ACTIONS = List.of("ack", "shelve", "unshelve", "reset", "suppress", "unsuppress",
            "remove-from-service", "return-to-service", "disable", "enable");

    private static final Set<String> BODY_FIELDS = Set.of("user", "comment", "minutes", "oneShot");

    private AlarmRoutes() {
    }

    /** @return the action a POST to this path under {@code /alarms/} names, or null */
    static String action(String method, String rest) {
        int slash = rest.lastIndexOf('/');
        if (!method.equals("POST") || slash <= 0) {
            return null;
        }
        String last = rest.substring(slash + 1);
        return ACTIONS.contains(last) ? last : null;
    }

    /** @param max the most alarms one answer lists ({@code limit} may lower it) */
    static void list(AlarmService alarms, HttpServletRequest request, HttpServletResponse response, int max)
            throws IOException {
        AlarmFilter filter = new AlarmFilter(parse(request.getParameter("state"), AlarmState.class, "state"),
                parse(request.getParameter("severity"), Severity.class, "severity"), request.getParameter("prefix"));
        int limit = Math.min(Http.number(request, "limit", max), max);
        List<Alarm> list = alarms.list(filter);
        Instant now = Instant.now();
        Http.json(request, response, 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("alarms");
            for (Alarm alarm : list.subList(0, Math.min(limit, list.size()))) {
                alarm(json, alarm, now);
            }
            json.writeEndArray();
            json.writeBooleanField("truncated", list.size() > limit);
            json.writeNumberField("matched", list.size());
            json.writeEndObject();
        });
    }

    static void get(AlarmService alarms, String name, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Alarm alarm = alarms.get(name);
        Instant now = Instant.now();
        Http.json(request, response, 200, json -> alarm(json, alarm, now));
    }

    static void act(AlarmService alarms, String name, String action, JsonNode body, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        Http.onlyFields(body, BODY_FIELDS, "user, comment, minutes and oneShot");
        String user = text(body, "user");
        String comment = text(body, "comment");
        boolean oneShot = body.has("oneShot") && bool(body, "oneShot");
        JsonNode minutes = body.get("minutes");
        if (!action.equals("shelve") && (minutes != null || body.has("oneShot"))) {
            throw invalid("minutes and oneShot are for shelve, not " + action);
        }
        Alarm alarm = switch (action) {
            case "ack" -> alarms.acknowledge(name, user, comment);
            case "shelve" -> {
                if (oneShot && minutes != null) {
                    throw invalid("shelve takes minutes or oneShot, not both");
                }
                yield oneShot ? alarms.shelveOneShot(name, user, comment)
                        : alarms.shelve(name, duration(minutes), user, comment);
            }
            case "unshelve" -> alarms.unshelve(name, user, comment);
            case "reset" -> alarms.reset(name, user, comment);
            case "suppress" -> alarms.suppress(name, user, comment);
            case "unsuppress" -> alarms.unsuppress(name, user, comment);
            case "remove-from-service" -> alarms.removeFromService(name, user, comment);
            case "return-to-service" -> alarms.returnToService(name, user, comment);
            case "disable" -> alarms.disable(name, user, comment);
            case "enable" -> alarms.enable(name, user, comment);
            default -> throw new IllegalArgumentException(action);
        };
        Instant now = Instant.now();
        Http.json(request, response, 200, json -> alarm(json, alarm, now));
    }

    private static Duration duration(JsonNode minutes) {
        if (minutes == null || minutes.isNull()) {
            throw invalid("shelve needs \"minutes\" (how long) or \"oneShot\": true");
        }
        if (!minutes.isNumber() || !(minutes.asDouble() > 0) || minutes.asDouble() > 1e7) {
            throw invalid("minutes must be a number greater than 0, not " + minutes);
        }
        return Duration.ofMillis(Math.round(minutes.asDouble() * 60_000));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(field + " must be a string, not " + value);
        }
        return value.asText();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (!value.isBoolean()) {
            throw invalid(field + " must be true or false, not " + value);
        }
        return value.asBoolean();
    }

    /** @return the values of a comma-separated filter, case-insensitive; empty when absent */
    static <E extends Enum<E>> Set<E> parse(String text, Class<E> type, String name) {
        Set<E> values = EnumSet.noneOf(type);
        if (text == null || text.isBlank()) {
            return values;
        }
        for (String part : text.split(",")) {
            String value = part.strip().toUpperCase(Locale.ROOT);
            try {
                values.add(Enum.valueOf(type, value));
            } catch (IllegalArgumentException e) {
                throw invalid(name + " '" + part.strip() + "' is unknown: use "
                        + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "))
                        + " (several separated by commas)");
            }
        }
        return values;
    }

    /** One alarm as JSON. */
    static void alarm(JsonGenerator json, Alarm alarm, Instant now) throws IOException {
        AlarmDefinition d = alarm.definition();
        json.writeStartObject();
        json.writeStringField("name", alarm.name());
        json.writeStringField("tag", alarm.tag());
        json.writeStringField("condition", d.condition().name());
        json.writeFieldName("limit");
        TagJson.scalar(json, d.limit());
        json.writeFieldName("deadband");
        TagJson.scalar(json, d.deadband());
        json.writeStringField("severity", d.severity().name());
        json.writeStringField("state", alarm.state().name());
        json.writeBooleanField("enabled", alarm.enabled());
        json.writeBooleanField("active", alarm.active());
        json.writeBooleanField("acked", alarm.acked());
        json.writeBooleanField("latched", alarm.latched());
        json.writeBooleanField("shelved", alarm.shelved());
        json.writeBooleanField("suppressed", alarm.suppressed());
        json.writeBooleanField("outOfService", alarm.outOfService());
        json.writeNumberField("flags", alarm.flags());
        json.writeFieldName("value");
        TagJson.scalar(json, alarm.value());
        instant(json, "activatedAt", alarm.activatedAt());
        instant(json, "ackedAt", alarm.ackedAt());
        instant(json, "clearedAt", alarm.clearedAt());
        instant(json, "shelvedUntil", alarm.shelvedUntil());
        TagJson.nullable(json, "ackUser", alarm.ackUser());
        TagJson.nullable(json, "ackComment", alarm.ackComment());
        if (alarm.shelved()) {
            json.writeBooleanField("oneShot", alarm.oneShot());
            TagJson.nullable(json, "shelveUser", alarm.shelveUser());
            TagJson.nullable(json, "shelveReason", alarm.shelveReason());
        }
        millis(json, "timeToAckMs", alarm.timeToAck());
        millis(json, "timeInAlarmMs", alarm.timeInAlarm(now));
        json.writeArrayFieldStart("unknown");
        for (String name : alarm.unknown().stream().sorted().toList()) {
            json.writeString(name);
        }
        json.writeEndArray();
        TagJson.nullable(json, "message", d.message());
        json.writeBooleanField("requiresAck", d.requiresAck());
        json.writeBooleanField("latching", d.latching());
        json.writeNumberField("onDelayMs", d.onDelayMillis());
        json.writeNumberField("offDelayMs", d.offDelayMillis());
        json.writeNumberField("maxShelveSeconds", d.maxShelveSeconds());
        json.writeNumberField("sequence", alarm.sequence());
        json.writeEndObject();
    }

    private static void instant(JsonGenerator json, String name, Instant instant) throws IOException {
        if (instant == null) {
            json.writeNullField(name);
        } else {
            json.writeStringField(name, instant.toString());
        }
    }

    private static void millis(JsonGenerator json, String name, Duration duration) throws IOException {
        if (duration == null) {
            json.writeNullField(name);
        } else {
            json.writeNumberField(name, duration.toMillis());
        }
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** @return the action routes as the OpenAPI document and the metrics name them */
    static Map<String, String> actionRoutes() {
        Map<String, String> routes = new LinkedHashMap<>();
        for (String action : ACTIONS) {
            routes.put(action, "/api/v1/alarms/{name}/" + action);
        }
        return routes;
    }
}
