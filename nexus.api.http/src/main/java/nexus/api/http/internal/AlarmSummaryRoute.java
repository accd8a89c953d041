package nexus.api.http.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmSummary;
import nexus.core.Access;
import nexus.core.Severity;

/**
 * {@code GET /api/v1/alarms/summary}: the alarm KPIs (ISA-18.2 §16 / EEMUA 191) of
 * {@link nexus.alarm.AlarmService#summary()} as JSON, for dashboards such as the console's overview —
 * the same figures {@code /health} carries in its alarm component's data and {@code /metrics} as text.
 *
 * <p>A caller who sees the whole namespace gets the node's figures. Any other caller gets counts over
 * the alarms it sees ({@link nexus.alarm.AlarmService#list} as the caller) and only the chattering
 * alarms among them, so no count reveals an alarm outside its namespace; the flood (activations in the
 * last 10 minutes against the threshold) stays the node's fact, as an operator on any part of the plant
 * needs to know the plant floods. Declared before {@code GET /api/v1/alarms/{name}} in
 * {@link ApiRoutes}: an alarm named exactly {@code summary} is read through
 * {@code GET /api/v1/alarms?prefix=summary}; its actions ({@code POST /api/v1/alarms/summary:ack}) are
 * not shadowed.
 */
final class AlarmSummaryRoute {

    private AlarmSummaryRoute() {
    }

    static void serve(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        Access access = exchange.access();
        AlarmSummary node = api.alarms().summary();
        Kpis kpis = access.read().isAll() ? Kpis.of(node) : Kpis.of(node, api.alarms().list(exchange.caller(), AlarmFilter.ALL));
        Instant now = Instant.now();
        Http.json(exchange.request(), exchange.response(), 200, json -> write(json, node, kpis, now));
    }

    /**
     * The figures a caller is shown, each the node's or counted over the alarms it sees: how many
     * alarms, active, unacknowledged and shelved by severity, suppressed, out of service, and the
     * chattering alarms' names (at most the node's 100, sorted) with their count — for a scoped
     * caller, how many of those names it sees.
     */
    record Kpis(int alarms, Map<Severity, Integer> active, Map<Severity, Integer> unacknowledged,
            Map<Severity, Integer> shelved, int suppressed, int outOfService, List<String> chattering, int chatteringCount) {

        static Kpis of(AlarmSummary node) {
            return new Kpis(node.alarms(), node.active(), node.unacknowledged(), node.shelved(), node.suppressed(),
                    node.outOfService(), node.chattering(), node.chatteringCount());
        }

        /** Counted over the alarms the caller sees, by the same rules as the alarm manager counts them. */
        static Kpis of(AlarmSummary node, List<Alarm> seen) {
            Map<Severity, Integer> active = zero();
            Map<Severity, Integer> unacknowledged = zero();
            Map<Severity, Integer> shelved = zero();
            int suppressed = 0;
            int outOfService = 0;
            Set<String> names = new HashSet<>();
            for (Alarm alarm : seen) {
                Severity severity = alarm.definition().severity();
                names.add(alarm.name());
                switch (alarm.state()) {
                    case UNACK_ALARM, ACKED_ALARM -> active.merge(severity, 1, Integer::sum);
                    case SHELVED -> shelved.merge(severity, 1, Integer::sum);
                    case SUPPRESSED -> suppressed++;
                    case OUT_OF_SERVICE -> outOfService++;
                    case NORMAL, RTN_UNACK -> {
                    }
                }
                if (alarm.state().unacknowledged()) {
                    unacknowledged.merge(severity, 1, Integer::sum);
                }
            }
            List<String> chattering = node.chattering().stream().filter(names::contains).toList();
            return new Kpis(seen.size(), active, unacknowledged, shelved, suppressed, outOfService, chattering,
                    chattering.size());
        }

        private static Map<Severity, Integer> zero() {
            Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
            for (Severity severity : Severity.values()) {
                counts.put(severity, 0);
            }
            return counts;
        }
    }

    private static void write(JsonGenerator json, AlarmSummary node, Kpis kpis, Instant now) throws IOException {
        json.writeStartObject();
        json.writeNumberField("registryVersion", node.registryVersion());
        json.writeStringField("time", now.toString());
        json.writeNumberField("alarms", kpis.alarms());
        bySeverity(json, "active", kpis.active());
        bySeverity(json, "unacknowledged", kpis.unacknowledged());
        bySeverity(json, "shelved", kpis.shelved());
        json.writeObjectFieldStart("totals");
        json.writeNumberField("active", AlarmSummary.total(kpis.active()));
        json.writeNumberField("unacknowledged", AlarmSummary.total(kpis.unacknowledged()));
        json.writeNumberField("shelved", AlarmSummary.total(kpis.shelved()));
        json.writeEndObject();
        json.writeNumberField("suppressed", kpis.suppressed());
        json.writeNumberField("outOfService", kpis.outOfService());
        json.writeNumberField("activations10m", node.activations10m());
        json.writeBooleanField("flood", node.flood());
        json.writeNumberField("floodThreshold", node.floodThreshold());
        json.writeArrayFieldStart("chattering");
        for (String name : kpis.chattering()) {
            json.writeString(name);
        }
        json.writeEndArray();
        json.writeNumberField("chatteringCount", kpis.chatteringCount());
        json.writeEndObject();
    }

    /** {@code "field": {"LOW": n, "MEDIUM": n, "HIGH": n, "CRITICAL": n}}, every severity present. */
    private static void bySeverity(JsonGenerator json, String field, Map<Severity, Integer> counts) throws IOException {
        json.writeObjectFieldStart(field);
        for (Severity severity : Severity.values()) {
            json.writeNumberField(severity.name(), counts.getOrDefault(severity, 0));
        }
        json.writeEndObject();
    }
}
