package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.query.Quality;
import nexus.query.QueryResult;
import nexus.query.QueryStats;
import nexus.query.TagValue;

/**
 * {@link RowFragments} through {@link QueryAnswers#rows}: a repeated answer's metadata is written from
 * the text kept, byte for byte what encoding the cells writes, and never for cells that are not the
 * objects the text was made from.
 */
class RowFragmentsTest {

    private static final List<String> COLUMNS = List.of("id", "path", "unit", "scale");

    /** The cached cells, as the query engine's result cache hands them to every repeat. */
    private final List<Object[]> cells = new ArrayList<>();

    RowFragmentsTest() {
        for (int i = 0; i < 50; i++) {
            cells.add(new Object[] {(long) i + 1, "site/\"area\"/tank" + i + "/level\u00e9", i % 3 == 0 ? null : "%",
                i % 2 == 0 ? 0.5 : 1.5f});
        }
    }

    @Test
    void keepsAnAnswerOnItsSecondSightAndWritesItsBytesAlike() throws IOException {
        RowFragments fragments = new RowFragments(RowFragments.DEFAULT_BYTES);
        for (int repeat = 0; repeat < 4; repeat++) {
            QueryResult result = answer(cells, 1, repeat);
            assertThat(rows(Http.JSON, result, fragments)).as("repeat %d", repeat).isEqualTo(reference(Http.JSON, result));
            assertThat(fragments.size()).as("answers kept after repeat %d", repeat).isEqualTo(repeat == 0 ? 0 : 1);
        }
        QueryResult again = answer(cells, 1, 9);
        assertThat(fragments.kept(again).rest(0, again.rows().get(0).cells()).getValue())
                .isEqualTo("1,\"path\":\"site/\\\"area\\\"/tank0/level\u00e9\",\"unit\":null,\"scale\":0.5");
        assertThat(fragments.bytes()).isPositive();
    }

    @Test
    void neverWritesTheTextOfCellsThatAreNotTheKeptOnes() throws IOException {
        RowFragments fragments = new RowFragments(RowFragments.DEFAULT_BYTES);
        rows(Http.JSON, answer(cells, 1, 0), fragments);
        rows(Http.JSON, answer(cells, 1, 1), fragments);
        List<Object[]> changed = new ArrayList<>(cells);
        changed.set(7, new Object[] {8L, "site/elsewhere", "bar", 2.5});
        changed.set(0, new Object[] {1L, new String("site/\"area\"/tank0/level\u00e9"), null, 0.5}); // equal, not the same
        QueryResult other = answer(changed, 1, 2);
        byte[] written = rows(Http.JSON, other, fragments);
        assertThat(written).isEqualTo(reference(Http.JSON, other));
        assertThat(new String(written, java.nio.charset.StandardCharsets.UTF_8)).contains("site/elsewhere");
    }

    @Test
    void aNewerRegistryVersionDropsEveryAnswerKept() throws IOException {
        RowFragments fragments = new RowFragments(RowFragments.DEFAULT_BYTES);
        rows(Http.JSON, answer(cells, 1, 0), fragments);
        rows(Http.JSON, answer(cells, 1, 1), fragments);
        assertThat(fragments.size()).isEqualTo(1);
        QueryResult newer = answer(cells, 2, 2);
        assertThat(fragments.kept(newer)).isNull();
        assertThat(fragments.size()).isZero();
        assertThat(fragments.bytes()).isZero();
        assertThat(rows(Http.JSON, newer, fragments)).isEqualTo(reference(Http.JSON, newer));
    }

    @Test
    void keepsNoAnswerLargerThanItsBound() throws IOException {
        RowFragments fragments = new RowFragments(2_000);
        for (int repeat = 0; repeat < 3; repeat++) {
            QueryResult result = answer(cells, 1, repeat);
            assertThat(rows(Http.JSON, result, fragments)).isEqualTo(reference(Http.JSON, result));
        }
        assertThat(fragments.size()).isZero();
        assertThat(fragments.bytes()).isZero();
        RowFragments none = new RowFragments(0);
        rows(Http.JSON, answer(cells, 1, 0), none);
        rows(Http.JSON, answer(cells, 1, 1), none);
        assertThat(none.size()).isZero();
    }

    @Test
    void writesRowsWithBlobsFromTheirCellsAndCborWithoutFragments() throws IOException {
        List<Object[]> blobs = new ArrayList<>(cells);
        blobs.set(3, new Object[] {4L, "p", new byte[] {1, 2, 3}, 0.5});
        RowFragments fragments = new RowFragments(RowFragments.DEFAULT_BYTES);
        for (int repeat = 0; repeat < 3; repeat++) {
            QueryResult result = answer(blobs, 1, repeat);
            assertThat(rows(Http.JSON, result, fragments)).isEqualTo(reference(Http.JSON, result));
            assertThat(rows(Http.CBOR, result, fragments)).isEqualTo(reference(Http.CBOR, result));
        }
        QueryResult again = answer(blobs, 1, 3);
        assertThat(fragments.kept(again).rest(3, again.rows().get(3).cells())).isNull();
        assertThat(fragments.kept(again).rest(4, again.rows().get(4).cells())).isNotNull();
    }

    /** A repeat's answer: new row lists over the same cell objects, live values of this repeat. */
    private static QueryResult answer(List<Object[]> cells, long version, int repeat) {
        List<QueryResult.Row> rows = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            TagValue value = i % 5 == 4 ? null
                    : new TagValue((float) (i * 0.1 + repeat), Quality.values()[i % Quality.values().length],
                            i % 7 == 0 ? 0 : 1_765_033_457_000_000_000L + repeat);
            rows.add(new QueryResult.Row(Collections.unmodifiableList(Arrays.asList(cells.get(i))), value));
        }
        return new QueryResult(COLUMNS, rows, false, version, new QueryStats(rows.size(), rows.size(), 1, 1, 8, 8, true,
                0, 0, 0, 0, 0));
    }

    private static byte[] rows(ObjectMapper mapper, QueryResult result, RowFragments fragments) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            QueryAnswers.rows(json, result, fragments);
        }
        return out.toByteArray();
    }

    private static byte[] reference(ObjectMapper mapper, QueryResult result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            QueryAnswersReference.rows(json, result);
        }
        return out.toByteArray();
    }
}
