package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;

import nexus.query.Quality;
import nexus.query.QueryResult;
import nexus.query.QueryStats;
import nexus.query.TagValue;

/**
 * {@link RowBytes}: the rows of a repeated answer written as bytes are, byte for byte, what the old
 * writer ({@link QueryAnswersReference}) writes, whatever the live values: numbers of every kind,
 * those {@link FloatText} leaves to the generator, text that needs escaping, absent values and times.
 */
class RowBytesTest {

    private static final List<String> COLUMNS = List.of("id", "pa\"th", "unit");
    private static final Object[] VALUES = {1.5f, 0.1f, 1e-10f, 3.4e38f, Float.NaN, Float.NEGATIVE_INFINITY, -0.0f, 0.1,
        1e300, Double.NaN, Double.POSITIVE_INFINITY, 42L, Long.MIN_VALUE, 7, true, false, null, "plain",
        "quote \" back \\ slash", "line\nbreak\ttab\u0001", "\u00e9t\u00e9 \u2603 \ud83d\ude00", ""};

    /** The cached cells, as the query engine's result cache hands them to every repeat: more than a buffer's worth. */
    private final List<Object[]> cells = new ArrayList<>();

    RowBytesTest() {
        for (int i = 0; i < 3_000; i++) {
            cells.add(new Object[] {(long) i + 1, "site/\"area\"/tank" + i + "/level\u00e9", i % 3 == 0 ? null : "%"});
        }
    }

    @Test
    void aRepeatedAnswerIsWrittenAsTheGeneratorWritesIt() throws IOException {
        RowFragments fragments = new RowFragments(RowFragments.DEFAULT_BYTES);
        for (int repeat = 0; repeat < 4; repeat++) {
            QueryResult result = answer(repeat);
            assertThat(text(rows(result, fragments))).as("repeat %d", repeat).isEqualTo(text(reference(result)));
        }
        assertThat(fragments.size()).isEqualTo(1);
    }

    @Test
    void aRepeatOverTheSameCellListsAsTheResultCacheGivesIsWrittenAlike() throws IOException {
        List<List<Object>> shared = cells.stream().map(row -> Collections.unmodifiableList(Arrays.asList(row))).toList();
        RowFragments fragments = new RowFragments(RowFragments.DEFAULT_BYTES);
        for (int repeat = 0; repeat < 4; repeat++) {
            QueryResult result = answer(shared, repeat, 1);
            assertThat(text(rows(result, fragments))).as("repeat %d", repeat).isEqualTo(text(reference(result)));
        }
        List<List<Object>> others = new ArrayList<>(shared);
        others.set(5, Collections.unmodifiableList(Arrays.asList(6L, "site/other", "m")));
        QueryResult other = answer(others, 4, 1);
        assertThat(text(rows(other, fragments))).isEqualTo(text(reference(other))).contains("site/other");
    }

    @Test
    void writesTheRowsArraysContentAlone() throws IOException {
        RowFragments fragments = new RowFragments(RowFragments.DEFAULT_BYTES);
        rows(answer(0), fragments);
        rows(answer(1), fragments);
        QueryResult result = answer(2);
        RowFragments.Kept kept = fragments.kept(result);
        assertThat(RowBytes.writable(result.rows(), kept)).isTrue();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RowBytes.write(out, Http.JSON.getFactory(), new SerializedString("id"), result.rows(), kept);
        String whole = text(reference(result));
        String rows = whole.substring(whole.indexOf("\"rows\":[") + 8, whole.indexOf("],\"truncated\""));
        assertThat(text(out.toByteArray())).isEqualTo(rows);
    }

    @Test
    void anAnswerWithARowNotKeptIsNotWrittenAsBytes() throws IOException {
        RowFragments fragments = new RowFragments(RowFragments.DEFAULT_BYTES);
        rows(answer(0), fragments);
        rows(answer(1), fragments);
        List<Object[]> changed = new ArrayList<>(cells);
        changed.set(2_999, new Object[] {3_000L, "site/elsewhere", "bar"});
        QueryResult other = answer(changed, 2);
        assertThat(RowBytes.writable(other.rows(), fragments.kept(other))).isFalse();
        byte[] written = rows(other, fragments);
        assertThat(text(written)).isEqualTo(text(reference(other))).contains("site/elsewhere");
    }

    private QueryResult answer(int repeat) {
        return answer(cells, repeat);
    }

    /** A repeat's answer: new row lists over the same cell objects, live values of every kind. */
    private static QueryResult answer(List<Object[]> cells, int repeat) {
        return answer(cells.stream().map(row -> Collections.unmodifiableList(Arrays.asList(row))).toList(), repeat, 1);
    }

    /** An answer over these cell lists. */
    private static QueryResult answer(List<List<Object>> lists, int repeat, long version) {
        List<QueryResult.Row> rows = new ArrayList<>();
        for (int i = 0; i < lists.size(); i++) {
            TagValue value = i % 11 == 10 ? null
                    : new TagValue(VALUES[(i + repeat) % VALUES.length], Quality.values()[i % Quality.values().length],
                            i % 7 == 0 ? 0 : 1_765_033_457_000_000_000L + (i / 100) * 1_000_001L + repeat);
            rows.add(new QueryResult.Row(lists.get(i), value));
        }
        return new QueryResult(COLUMNS, rows, false, version, new QueryStats(rows.size(), rows.size(), 1, 1, 8, 8, true,
                0, 0, 0, 0, 0));
    }

    private static byte[] rows(QueryResult result, RowFragments fragments) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = Http.JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            QueryAnswers.rows(json, result, fragments);
        }
        return out.toByteArray();
    }

    private static byte[] reference(QueryResult result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = Http.JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            QueryAnswersReference.rows(json, result);
        }
        return out.toByteArray();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
