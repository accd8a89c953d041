package nexus.api.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonGeneratorImpl;

import nexus.query.QueryResult;
import nexus.query.TagValue;

/**
 * A query's result written in the form the client asked ({@link QueryFormat}): rows (one object per
 * row, live values as its {@code value}, {@code quality} and {@code ts}) or columns (one array per
 * column, the live values in arrays of their own under {@code live}, and each distinct timestamp's
 * text once, in {@code live.times}, which {@code live.ts} indexes). CBOR is the rows form through a
 * CBOR generator. The cells and live values go through a {@link CellWriter}: no allocation per row; a
 * repeated JSON rows answer whose metadata {@link RowFragments} keeps is written as bytes ({@link RowBytes}).
 */
final class QueryAnswers {

    private QueryAnswers() {
    }

    /** The rows form, every row's cells encoded. */
    static void rows(JsonGenerator json, QueryResult result) throws IOException {
        rows(json, result, null);
    }

    /**
     * The rows form; in JSON, the metadata of rows {@code fragments} keeps is written from the text
     * kept, and the answer is noted there (kept on its second sight).
     *
     * @param fragments the metadata texts of repeated answers, or null to encode every row's cells
     */
    static void rows(JsonGenerator json, QueryResult result, RowFragments fragments) throws IOException {
        RowFragments used = json instanceof JsonGeneratorImpl ? fragments : null;
        RowFragments.Kept kept = used == null ? null : used.kept(result);
        json.writeStartObject();
        columnNames(json, result);
        json.writeArrayFieldStart("rows");
        // The column names encoded once an answer, not once a row.
        SerializedString[] names = result.columns().stream().map(SerializedString::new).toArray(SerializedString[]::new);
        List<QueryResult.Row> rows = result.rows();
        if (kept != null && names.length > 0 && json.getOutputTarget() instanceof OutputStream out
                && json.getCodec() != null && RowBytes.writable(rows, kept)) {
            // A repeat whose every row is kept: the rows as bytes, between the generator's "[" and "]".
            json.flush();
            RowBytes.write(out, json.getCodec().getFactory(), names[0], rows, kept);
        } else {
            rows(json, names, rows, kept);
        }
        json.writeEndArray();
        tail(json, result);
        if (used != null) {
            used.written(result, kept);
        }
    }

    /** The rows through the generator: a kept row's metadata as its text, any other's cells encoded. */
    private static void rows(JsonGenerator json, SerializedString[] names, List<QueryResult.Row> rows,
            RowFragments.Kept kept) throws IOException {
        CellWriter cells = new CellWriter(json);
        for (int r = 0; r < rows.size(); r++) {
            QueryResult.Row row = rows.get(r);
            json.writeStartObject();
            List<Object> values = row.cells();
            SerializableString rest = kept == null || names.length == 0 ? null : kept.rest(r, values);
            if (rest != null) {
                // The first column's name through the generator (its comma and state), the rest as its raw value.
                json.writeFieldName(names[0]);
                json.writeRawValue(rest);
            } else {
                for (int c = 0; c < names.length; c++) {
                    json.writeFieldName(names[c]);
                    cells.scalar(values.get(c));
                }
            }
            if (row.tag() != null) {
                cells.live(row.tag());
            }
            json.writeEndObject();
        }
    }

    /**
     * The columnar form. {@code live} is there when any row carries a tag, with null entries for the
     * rows that do not; {@code live.ts} is null for those and for a tag never written, else the index
     * of the value's time in {@code live.times} (ISO-8601 UTC texts, each once, in order of first use).
     */
    static void columns(JsonGenerator json, QueryResult result) throws IOException {
        List<QueryResult.Row> rows = result.rows();
        CellWriter cells = new CellWriter(json);
        json.writeStartObject();
        columnNames(json, result);
        json.writeObjectFieldStart("data");
        for (int c = 0; c < result.columns().size(); c++) {
            json.writeArrayFieldStart(result.columns().get(c));
            for (QueryResult.Row row : rows) {
                cells.scalar(row.cells().get(c));
            }
            json.writeEndArray();
        }
        json.writeEndObject();
        if (rows.stream().anyMatch(row -> row.tag() != null)) {
            live(json, cells, rows);
        }
        tail(json, result);
    }

    private static void live(JsonGenerator json, CellWriter cells, List<QueryResult.Row> rows) throws IOException {
        json.writeObjectFieldStart("live");
        json.writeArrayFieldStart("value");
        for (QueryResult.Row row : rows) {
            cells.scalar(row.tag() == null ? null : row.tag().value());
        }
        json.writeEndArray();
        json.writeArrayFieldStart("quality");
        for (QueryResult.Row row : rows) {
            if (row.tag() == null) {
                json.writeNull();
            } else {
                cells.quality(row.tag().quality());
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
            json.writeString(cells.time(time));
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
