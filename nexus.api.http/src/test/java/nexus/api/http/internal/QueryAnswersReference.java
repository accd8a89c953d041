package nexus.api.http.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;

import nexus.json.NexusJson;
import nexus.query.QueryResult;
import nexus.query.TagValue;

/**
 * The query writers as they were before {@link CellWriter} (issue 18 item 2), kept unchanged as the
 * reference {@link QueryAnswersTest} compares {@link QueryAnswers}' bytes with: every cell through
 * {@link NexusJson#scalar}, every live value through {@link NexusJson#value}.
 */
final class QueryAnswersReference {

    private QueryAnswersReference() {
    }

    static void rows(JsonGenerator json, QueryResult result) throws IOException {
        json.writeStartObject();
        columnNames(json, result);
        json.writeArrayFieldStart("rows");
        for (QueryResult.Row row : result.rows()) {
            json.writeStartObject();
            for (int c = 0; c < result.columns().size(); c++) {
                json.writeFieldName(result.columns().get(c));
                NexusJson.scalar(json, row.cells().get(c));
            }
            if (row.tag() != null) {
                NexusJson.value(json, row.tag());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        tail(json, result);
    }

    /**
     * The columnar form. {@code live} is there when any row carries a tag, with null entries for the
     * rows that do not; {@code live.ts} is null for those and for a tag never written, else the index
     * of the value's time in {@code live.times} (ISO-8601 UTC texts, each once, in order of first use).
     */
    static void columns(JsonGenerator json, QueryResult result) throws IOException {
        List<QueryResult.Row> rows = result.rows();
        json.writeStartObject();
        columnNames(json, result);
        json.writeObjectFieldStart("data");
        for (int c = 0; c < result.columns().size(); c++) {
            json.writeArrayFieldStart(result.columns().get(c));
            for (QueryResult.Row row : rows) {
                NexusJson.scalar(json, row.cells().get(c));
            }
            json.writeEndArray();
        }
        json.writeEndObject();
        if (rows.stream().anyMatch(row -> row.tag() != null)) {
            live(json, rows);
        }
        tail(json, result);
    }

    private static void live(JsonGenerator json, List<QueryResult.Row> rows) throws IOException {
        json.writeObjectFieldStart("live");
        json.writeArrayFieldStart("value");
        for (QueryResult.Row row : rows) {
            NexusJson.scalar(json, row.tag() == null ? null : row.tag().value());
        }
        json.writeEndArray();
        json.writeArrayFieldStart("quality");
        for (QueryResult.Row row : rows) {
            if (row.tag() == null) {
                json.writeNull();
            } else {
                json.writeString(row.tag().quality().name());
            }
        }
        json.writeEndArray();
        // The rows of one block read share their bank's write time: remember the last one before the map.
        List<Long> times = new ArrayList<>();
        Map<Long, Integer> indexes = new HashMap<>();
        long last = 0;
        int lastIndex = -1;
        json.writeArrayFieldStart("ts");
        for (QueryResult.Row row : rows) {
            TagValue tag = row.tag();
            if (tag == null || tag.timestamp() == 0) {
                json.writeNull();
                continue;
            }
            if (lastIndex < 0 || tag.timestamp() != last) {
                last = tag.timestamp();
                lastIndex = indexes.computeIfAbsent(last, t -> {
                    times.add(t);
                    return times.size() - 1;
                });
            }
            json.writeNumber(lastIndex);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("times");
        for (long time : times) {
            json.writeString(NexusJson.iso(time));
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void columnNames(JsonGenerator json, QueryResult result) throws IOException {
        json.writeArrayFieldStart("columns");
        for (String column : result.columns()) {
            json.writeString(column);
        }
        json.writeEndArray();
    }

    private static void tail(JsonGenerator json, QueryResult result) throws IOException {
        json.writeBooleanField("truncated", result.truncated());
        json.writeNumberField("registryVersion", result.registryVersion());
        json.writeObjectField("stats", result.stats());
        json.writeEndObject();
    }
}
