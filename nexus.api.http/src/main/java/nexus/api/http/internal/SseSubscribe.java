package nexus.api.http.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The query string of {@code GET /api/v1/stream/sse} as the one {@code subscribe} message of
 * docs/streams.md it stands for, with the request id {@value #ID}. Plain translation: which
 * subscriptions are valid (exactly one of {@code sql}, {@code paths}, {@code alarms}; the limits) is
 * the stream service's to say, and it answers an {@code error} the servlet turns into a 400. Refused
 * here, because no message could say it: an unknown parameter, a parameter given twice that takes one
 * value, a number that is not one, alarm filters without {@code alarms}, and a resume position that
 * is not {@code <run>:<sequence>}.
 *
 * <table>
 * <caption>Parameters and the fields they become</caption>
 * <tr><th>parameter</th><th>field</th></tr>
 * <tr><td>{@code sql}, {@code param} (once per placeholder, as text)</td><td>{@code sql}, {@code params}</td></tr>
 * <tr><td>{@code path} (once per path)</td><td>{@code paths}</td></tr>
 * <tr><td>{@code samplingMs}, {@code queueSize}</td><td>the same, as whole numbers</td></tr>
 * <tr><td>{@code maxRate}</td><td>the same, a number such as 0.5 (the service checks its range)</td></tr>
 * <tr><td>{@code deadbandAbsolute}, {@code deadbandPercent}</td><td>{@code deadband.absolute}, {@code deadband.percent}</td></tr>
 * <tr><td>{@code alarms} (no value), {@code state}, {@code severity} (once per value), {@code prefix}</td>
 * <td>{@code alarms.states}, {@code alarms.severities}, {@code alarms.prefix}</td></tr>
 * <tr><td>{@code Last-Event-ID} header, or {@code lastEventId}: {@code <run>:<sequence>}</td>
 * <td>{@code resume.run}, {@code resume.sequence}</td></tr>
 * </table>
 * {@code ticket} is {@link AccessFilter}'s and is left out.
 */
final class SseSubscribe {

    /** The request id of the subscribe message: the service's answers to it carry it back. */
    static final String ID = "sse";

    private static final Set<String> REPEATED = Set.of("param", "path", "state", "severity");
    private static final Set<String> ALARM_FILTERS = Set.of("state", "severity", "prefix");
    private static final List<String> KNOWN = List.of("sql", "param", "path", "samplingMs", "deadbandAbsolute",
            "deadbandPercent", "queueSize", "maxRate", "alarms", "state", "severity", "prefix", "lastEventId", "ticket");

    private SseSubscribe() {
    }

    /**
     * @param parameters  the request's parameters (decoded, each with its values in order)
     * @param lastEventId the {@code Last-Event-ID} header, or null; it wins over {@code lastEventId}
     * @return the subscribe message, as JSON text
     * @throws NexusException INVALID_ARGUMENT naming the parameter and what it takes
     */
    static String message(Map<String, String[]> parameters, String lastEventId) {
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (!KNOWN.contains(name)) {
                throw invalid("unknown parameter '" + shown(name) + "': " + AccessFilter.STREAMS + "/sse takes "
                        + String.join(", ", KNOWN.subList(0, KNOWN.size() - 1)) + " (docs/streams.md)");
            }
            if (parameter.getValue().length > 1 && !REPEATED.contains(name)) {
                throw invalid("the parameter '" + name + "' is given " + parameter.getValue().length + " times: give it once");
            }
        }
        ObjectNode subscribe = Http.JSON.createObjectNode();
        subscribe.put("type", "subscribe");
        subscribe.put("id", ID);
        String sql = single(parameters, "sql");
        if (sql != null) {
            subscribe.put("sql", sql);
        }
        texts(subscribe, "params", parameters.get("param"));
        texts(subscribe, "paths", parameters.get("path"));
        for (String name : List.of("samplingMs", "queueSize")) {
            String value = single(parameters, name);
            if (value != null) {
                subscribe.put(name, wholeNumber(name, value));
            }
        }
        String maxRate = single(parameters, "maxRate");
        if (maxRate != null) {
            subscribe.put("maxRate", number("maxRate", maxRate));
        }
        deadband(subscribe, "absolute", single(parameters, "deadbandAbsolute"));
        deadband(subscribe, "percent", single(parameters, "deadbandPercent"));
        alarms(subscribe, parameters);
        String position = lastEventId != null ? lastEventId : single(parameters, "lastEventId");
        if (position != null) {
            Resume resume = Resume.parse(position);
            subscribe.putObject("resume").put("run", resume.run()).put("sequence", resume.sequence());
        }
        return subscribe.toString();
    }

    /** Where an alarm stream resumes: the position an alarm event's {@code id:} carried. */
    record Resume(String run, long sequence) {

        /**
         * @param text {@code <run>:<sequence>}
         * @throws NexusException INVALID_ARGUMENT when it is not
         */
        static Resume parse(String text) {
            int colon = text.lastIndexOf(':');
            String run = colon < 0 ? "" : text.substring(0, colon).strip();
            String digits = colon < 0 ? "" : text.substring(colon + 1).strip();
            if (run.isEmpty() || digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
                throw invalid("the last event id '" + shown(text) + "' is not <run>:<sequence> as the node's alarm events"
                        + " carry it (their id: lines): resume with the id of the last alarm event received");
            }
            return new Resume(run, Long.parseLong(digits));
        }
    }

    private static void alarms(ObjectNode subscribe, Map<String, String[]> parameters) {
        String alarms = single(parameters, "alarms");
        if (alarms == null) {
            for (String filter : ALARM_FILTERS) {
                if (parameters.containsKey(filter)) {
                    throw invalid("the parameter '" + filter + "' filters alarms: add 'alarms' to follow the alarm feed"
                            + " (?alarms&" + filter + "=…)");
                }
            }
            return;
        }
        if (!alarms.isEmpty() && !alarms.equals("true")) {
            throw invalid("the parameter 'alarms' takes no value (?alarms), not '" + shown(alarms) + "'");
        }
        ObjectNode filter = subscribe.putObject("alarms");
        texts(filter, "states", parameters.get("state"));
        texts(filter, "severities", parameters.get("severity"));
        String prefix = single(parameters, "prefix");
        if (prefix != null) {
            filter.put("prefix", prefix);
        }
    }

    private static void deadband(ObjectNode subscribe, String kind, String value) {
        if (value == null) {
            return;
        }
        String name = "deadband" + Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
        ObjectNode deadband = subscribe.has("deadband") ? (ObjectNode) subscribe.get("deadband") : subscribe.putObject("deadband");
        deadband.put(kind, number(name, value));
    }

    /** @return a decimal number (its range is the service's to check) */
    private static BigDecimal number(String name, String value) {
        try {
            return new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw invalid("the parameter '" + name + "' must be a number such as 0.5, not '" + shown(value) + "'");
        }
    }

    private static long wholeNumber(String name, String value) {
        String digits = value.strip();
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            throw invalid("the parameter '" + name + "' must be a whole number of 0 or more, not '" + shown(value) + "'");
        }
        return Long.parseLong(digits);
    }

    private static void texts(ObjectNode target, String field, String[] values) {
        if (values != null) {
            ArrayNode array = target.putArray(field);
            for (String value : values) {
                array.add(value);
            }
        }
    }

    private static String single(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }

    private static String shown(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
