package nexus.api.http.internal;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;

import nexus.json.FindFilterJson;
import nexus.json.NexusJson;
import nexus.query.FindFilter;
import nexus.query.FindPlan;
import nexus.query.FindResult;
import nexus.query.TagReading;

/**
 * {@code POST /api/v1/find}, {@code POST /api/v1/find/explain} (body: the filter, read by
 * {@link FindFilterJson}) and {@code GET /api/v1/find/schema}. They translate; the find service decides.
 */
final class FindRoutes {

    private FindRoutes() {
    }

    static void find(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        FindFilter filter = FindFilterJson.parse(Http.body(exchange.request(), api.config().body_max()));
        FindResult result = api.finds().find(exchange.caller(), filter);
        Http.json(exchange.request(), exchange.response(), 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("rows");
            for (FindResult.Row row : result.rows()) {
                row(json, row);
            }
            json.writeEndArray();
            NexusJson.nullable(json, "cursor", result.cursor());
            json.writeNumberField("examined", result.examined());
            json.writeNumberField("matched", result.matched());
            json.writeNumberField("registryVersion", result.registryVersion());
            json.writeEndObject();
        });
    }

    static void explain(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        FindFilter filter = FindFilterJson.parse(Http.body(exchange.request(), api.config().body_max()));
        FindPlan plan = api.finds().explain(exchange.caller(), filter);
        Http.json(exchange.request(), exchange.response(), 200, json -> {
            json.writeStartObject();
            json.writeStringField("sql", plan.sql());
            json.writeArrayFieldStart("params");
            for (Object param : plan.params()) {
                NexusJson.scalar(json, param);
            }
            json.writeEndArray();
            json.writeObjectField("readPlan", plan.readPlan());
            json.writeStringField("liveFilter", plan.liveFilter());
            json.writeEndObject();
        });
    }

    static void schema(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        byte[] schema = FindFilterJson.schema();
        Http.json(exchange.request(), exchange.response(), 200, json -> json.writeTree(Http.JSON.readTree(schema)));
    }

    /** A row: the tag as everywhere else ({@link NexusJson#tag}), and its alarms when the filter asked. */
    private static void row(JsonGenerator json, FindResult.Row row) throws IOException {
        if (row.alarms() == null) {
            NexusJson.tag(json, new TagReading(row.tag(), row.value()), false);
            return;
        }
        // NexusJson.tag closes its object: write the alarms into a copy of its fields instead.
        java.io.StringWriter text = new java.io.StringWriter();
        try (JsonGenerator tag = Http.JSON.createGenerator(text)) {
            NexusJson.tag(tag, new TagReading(row.tag(), row.value()), false);
        }
        com.fasterxml.jackson.databind.node.ObjectNode object = (com.fasterxml.jackson.databind.node.ObjectNode) Http.JSON
                .readTree(text.toString());
        com.fasterxml.jackson.databind.node.ArrayNode alarms = object.putArray("alarms");
        for (FindResult.TagAlarm alarm : row.alarms()) {
            alarms.addObject().put("name", alarm.name()).put("severity", alarm.severity().name()).put("state", alarm.state())
                    .put("inAlarm", alarm.inAlarm()).put("acked", alarm.acked());
        }
        json.writeTree(object);
    }
}
