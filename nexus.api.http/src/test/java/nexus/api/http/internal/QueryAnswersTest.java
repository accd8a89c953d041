package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.query.Quality;
import nexus.query.QueryResult;
import nexus.query.QueryStats;
import nexus.query.TagValue;

/**
 * The query writers ({@link QueryAnswers}, through {@link CellWriter}) write exactly the bytes the
 * writers before them did ({@link QueryAnswersReference}), for rows, columns and CBOR, over a table of
 * the values a result holds: floats and doubles of every kind, longs, booleans, null, strings that
 * need escapes, blobs, every quality, timestamps 0 and not, repeated and alternating.
 */
class QueryAnswersTest {

    private static final long T1 = 1_765_033_457_123_456_789L;
    private static final long T2 = 1_765_033_458_000_000_000L;

    private static final List<Object> VALUES = List.of(
            0f, -0f, 0.25f, 1.1f, 23.7f, -3.14159f, 100f, 1e-3f, 0.00101f, 0.001009f, 9_999_000f, 9_999_001f, 1e7f,
            1.0E-5f, 123456.79f, 8388609f, 16777216f, 3.4028235E38f, Float.MIN_VALUE, Float.MIN_NORMAL, -1.0E10f,
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.1f, 0.2f, 0.3f, 9.999999f,
            0.0, -0.0, 0.1, 2e23, 1e-300, 1.0 / 3, 23.7, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            0L, -1L, 42L, Long.MAX_VALUE, Long.MIN_VALUE,
            true, false,
            "", "plain", "a\"b\\c\n\t\u0001/é€\uD83D\uDE00");

    private static final List<Object> CELLS = Arrays.asList(null, "x", "quote\"back\\slash\u0007", new byte[0],
            new byte[] {0, 1, 2, (byte) 255}, 7L, 2.5, 1.5f, Float.NaN, true);

    private static final long[] TIMES = {0, T1, T1, T1, T2, T1, 0, T2, T2, 1, -1_000_000_001L};

    @Test
    void rowsAreTheBytesTheyWere() throws IOException {
        QueryResult result = table();
        assertThat(json(Http.JSON, json -> QueryAnswers.rows(json, result)))
                .isEqualTo(json(Http.JSON, json -> QueryAnswersReference.rows(json, result)));
    }

    @Test
    void columnsAreTheBytesTheyWere() throws IOException {
        QueryResult result = table();
        assertThat(json(Http.JSON, json -> QueryAnswers.columns(json, result)))
                .isEqualTo(json(Http.JSON, json -> QueryAnswersReference.columns(json, result)));
    }

    @Test
    void cborIsTheBytesItWas() throws IOException {
        QueryResult result = table();
        assertThat(json(Http.CBOR, json -> QueryAnswers.rows(json, result)))
                .isEqualTo(json(Http.CBOR, json -> QueryAnswersReference.rows(json, result)));
    }

    @Test
    void answersWithoutLiveValuesAreTheBytesTheyWere() throws IOException {
        List<QueryResult.Row> rows = new ArrayList<>();
        for (Object value : VALUES) {
            rows.add(new QueryResult.Row(Arrays.asList(value, "p"), null));
        }
        QueryResult result = new QueryResult(List.of("v", "path"), rows, true, 3, stats(rows.size()));
        for (ObjectMapper mapper : List.of(Http.JSON, Http.CBOR)) {
            assertThat(json(mapper, json -> QueryAnswers.rows(json, result)))
                    .isEqualTo(json(mapper, json -> QueryAnswersReference.rows(json, result)));
        }
        assertThat(json(Http.JSON, json -> QueryAnswers.columns(json, result)))
                .isEqualTo(json(Http.JSON, json -> QueryAnswersReference.columns(json, result)));
    }

    @Test
    void floatsReadAsTheirValuesAndTimesAsTheirTexts() throws IOException {
        QueryResult result = table();
        JsonNode rows = new ObjectMapper().readTree(json(Http.JSON, json -> QueryAnswers.rows(json, result))).get("rows");
        assertThat(new String(json(Http.JSON, json -> QueryAnswers.rows(json, result)), StandardCharsets.UTF_8))
                .contains("\"value\":23.7,", "\"value\":-0.0,", "\"value\":\"NaN\"", "\"value\":1.0E7,");
        for (int i = 0; i < rows.size(); i++) {
            TagValue tag = result.rows().get(i).tag();
            if (tag != null && tag.value() instanceof Float f && Float.isFinite(f)) {
                assertThat(rows.get(i).get("value").floatValue()).as("row %d", i).isEqualTo(f);
            }
        }
        assertThat(rows.get(1).get("ts").asText())
                .isEqualTo(Instant.ofEpochSecond(T1 / 1_000_000_000L, T1 % 1_000_000_000L).toString());
        assertThat(rows.get(0).get("ts").isNull()).isTrue();
    }

    /** Every value as a live value and as a cell, with every quality and the times above in turn. */
    private static QueryResult table() {
        List<QueryResult.Row> rows = new ArrayList<>();
        Quality[] qualities = Quality.values();
        for (int i = 0; i < VALUES.size() * 2; i++) {
            Object value = VALUES.get(i % VALUES.size());
            Object cell = CELLS.get(i % CELLS.size());
            TagValue tag = i % 13 == 12 ? null
                    : new TagValue(value, qualities[i % qualities.length], TIMES[i % TIMES.length]);
            rows.add(new QueryResult.Row(Arrays.asList((long) i, "site/a\"b/" + i, cell, value), tag));
        }
        return new QueryResult(List.of("id", "path", "cell", "x"), rows, false, 7, stats(rows.size()));
    }

    private static QueryStats stats(int rows) {
        return new QueryStats(rows, rows, 1, 2, 4096, 40, true, 1, 2, 3, 4, 5);
    }

    interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] json(ObjectMapper mapper, Writer writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            writer.write(json);
        }
        return out.toByteArray();
    }
}
