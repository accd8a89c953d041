package nexus.api.http.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.http.HttpServletRequest;
import nexus.json.NexusJson;
import nexus.alarm.ActionRequest;
import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmState;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Severity;

/**
 * {@code /api/v1/alarms}: the list, one alarm, and the operator actions, each carried out through
 * {@link AlarmService#act}. Alarm names keep their slashes in the URL, as tag paths do; an action
 * follows the name after a colon ({@code POST /api/v1/alarms/site1/area2/tt101-hi:ack}), so the
 * name is everything up to the last colon and no name is mistaken for an action.
 */
final class AlarmRoutes {

    private static final Set<String> BODY_FIELDS = Set.of("comment", "minutes", "oneShot");
    private static final String PREFIX = "/api/v1/alarms/";

    private AlarmRoutes() {
    }

    static void list(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        HttpServletRequest request = exchange.request();
        AlarmFilter filter = new AlarmFilter(parse(request.getParameter("state"), AlarmState.class, "state"),
                parse(request.getParameter("severity"), Severity.class, "severity"), request.getParameter("prefix"));
        int max = api.config().rows_max();
        int limit = Math.min(Http.number(request, "limit", max), max);
        List<Alarm> list = api.alarms().list(exchange.caller(), filter);
        Instant now = Instant.now();
        Http.json(request, exchange.response(), 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("alarms");
            for (Alarm alarm : list.subList(0, Math.min(limit, list.size()))) {
                NexusJson.alarm(json, alarm, now);
            }
            json.writeEndArray();
            json.writeBooleanField("truncated", list.size() > limit);
            json.writeNumberField("matched", list.size());
            json.writeEndObject();
        });
    }

    static void get(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        Alarm alarm = api.alarms().get(exchange.caller(), name(exchange.param()));
        Instant now = Instant.now();
        Http.json(exchange.request(), exchange.response(), 200, json -> NexusJson.alarm(json, alarm, now));
    }

    static void act(ApiServlet api, ApiRoutes.Exchange exchange, AlarmAction action) throws IOException {
        String name = name(exchange.param());
        JsonNode body = Http.body(exchange.request(), api.config().body_max());
        ActionRequest request = request(action, body, exchange.caller());
        Alarm alarm = api.alarms().act(name, action, request);
        Instant now = Instant.now();
        Http.json(exchange.request(), exchange.response(), 200, json -> NexusJson.alarm(json, alarm, now));
    }

    /**
     * The action request a body asks for, taken as the caller: {@code comment}; for a shelve also
     * {@code minutes} or {@code "oneShot": true}. A body naming a {@code user} is refused.
     */
    static ActionRequest request(AlarmAction action, JsonNode body, Caller caller) {
        Http.refuseUser(body);
        Http.onlyFields(body, BODY_FIELDS, "comment, minutes and oneShot");
        String comment = text(body, "comment");
        boolean oneShot = body.has("oneShot") && bool(body, "oneShot");
        JsonNode minutes = body.get("minutes");
        Duration shelveFor = null;
        if (action != AlarmAction.SHELVE && (minutes != null || body.has("oneShot"))) {
            throw invalid("minutes and oneShot are for shelve, not " + action.wireName());
        }
        if (action == AlarmAction.SHELVE) {
            if (oneShot && minutes != null) {
                throw invalid("shelve takes minutes or oneShot, not both");
            }
            shelveFor = oneShot ? null : duration(minutes);
        }
        return new ActionRequest(caller, comment, shelveFor, oneShot);
    }

    /**
     * What a POST under {@code /api/v1/alarms/} that names no action route means, when it means
     * something: an action no one knows ({@code …/name:bogus}) or the old form ({@code …/name/ack}),
     * both NOT_FOUND naming the actions or the form to use; an action without a name
     * ({@code …/alarms/:ack}), INVALID_ARGUMENT.
     *
     * @param path the request's path from {@code /api/v1} on
     * @return the problem to answer, or null when the path is neither (then the method is not allowed)
     */
    static NexusException misdirected(String path) {
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        String rest = path.substring(PREFIX.length());
        int slash = rest.lastIndexOf('/');
        String last = rest.substring(slash + 1);
        int colon = last.lastIndexOf(':');
        if (colon >= 0) {
            String action = last.substring(colon + 1);
            if (AlarmAction.byWireName(action).isPresent()) { // no route took it: the name before the colon is empty
                return invalid("an alarm action needs the alarm's name before ':" + action + "', e.g. POST "
                        + PREFIX + "site1/area2/tt101-hi:" + action);
            }
            return new NexusException(ErrorCode.NOT_FOUND, "no alarm action '" + action + "': POST /api/v1/alarms/{name}:{action}"
                    + " takes " + AlarmAction.wireNames());
        }
        if (slash > 0 && AlarmAction.byWireName(last).isPresent()) {
            return new NexusException(ErrorCode.NOT_FOUND, "alarm actions are POST /api/v1/alarms/{name}:{action} now, not"
                    + " …/{name}/{action}: send POST " + PREFIX + rest.substring(0, slash) + ":" + last);
        }
        return null;
    }

    /**
     * The shelve's duration as the body gives it. Whether it is long enough and within the alarm's
     * maximum is the alarm service's rule (one message for every front-end, the refusal audited), so
     * any number goes on: beyond a long's milliseconds it saturates, which the service refuses as too long.
     */
    private static Duration duration(JsonNode minutes) {
        if (minutes == null || minutes.isNull()) {
            throw invalid("shelve needs \"minutes\" (how long) or \"oneShot\": true");
        }
        if (!minutes.isNumber()) {
            throw invalid("minutes must be a number, not " + minutes);
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

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }

    private static String name(String name) {
        if (name.isEmpty() || name.endsWith("/") || name.contains("//")) {
            throw invalid("'" + name + "' is not an alarm name: alarm names keep their slashes, e.g."
                    + " /api/v1/alarms/plant1/line1/tt101/hi");
        }
        return name;
    }
}
