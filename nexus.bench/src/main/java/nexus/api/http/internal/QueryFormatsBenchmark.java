package nexus.api.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;

import nexus.query.Quality;
import nexus.query.QueryResult;
import nexus.query.QueryStats;
import nexus.query.TagValue;

/**
 * A 10,000-row answer of {@code SELECT id, path, unit FROM tags} with live values, written by the
 * query route's own writers ({@link QueryAnswers}) in each format a client can ask (issue 18 item 3):
 * rows as JSON, columns as JSON, rows as CBOR. Rows come in blocks of 1,000 that share their bank's
 * write time, as block reads give them. The answer's size in bytes is printed once per format at
 * set-up (JMH shows it in the run's output); the time is per answer, into a reused buffer.
 * {@code writer = before} runs the writers as they were before issue 18 item 2 ({@link QueryAnswersBefore}):
 * the reference, in the same run. Run with {@code -prof gc} for the allocation per answer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class QueryFormatsBenchmark {

    private static final int ROWS = 10_000;
    private static final int BLOCK = 1_000;

    @Param({ "rows", "columns", "cbor" })
    public String format;

    /**
     * {@code quarters}: i × 0.25, short texts (the figures before issue 18 item 2 used these);
     * {@code readings}: 20 + 5 sin(i), a sensor's noise, 7 to 9 significant digits.
     */
    @Param({ "quarters", "readings" })
    public String values;

    /** {@code cells}: {@link QueryAnswers} as it is; {@code before}: {@link QueryAnswersBefore}. */
    @Param({ "cells", "before" })
    public String writer;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 21);
    private QueryResult result;
    private ObjectMapper mapper;
    private boolean columns;
    private boolean before;

    @Setup
    public void answer() throws IOException {
        List<QueryResult.Row> rows = new ArrayList<>(ROWS);
        long written = 1_765_033_457_123_456_789L;
        for (int i = 0; i < ROWS; i++) {
            String path = "site1/area" + (i / 2000) + "/line" + (i / 100) + "/tank" + (i / 10) + "/level";
            rows.add(new QueryResult.Row(List.of((long) i + 1, path, "%"),
                    new TagValue(values.equals("quarters") ? (float) (i * 0.25) : (float) (20 + 5 * Math.sin(i)),
                            Quality.GOOD, written + (i / BLOCK) * 1_000_000L)));
        }
        result = new QueryResult(List.of("id", "path", "unit"), rows, false, 1,
                new QueryStats(ROWS, ROWS, 1, 10, 40_000, 40_000, true, 0, 0, 0, 0, 0));
        // Not Http.JSON: it differs only in how it reads, and Http needs the servlet API on the class path.
        mapper = format.equals("cbor") ? new CBORMapper() : new ObjectMapper();
        columns = format.equals("columns");
        before = writer.equals("before");
        System.out.println(format + " (" + values + ", " + writer + "): " + write() + " bytes per answer");
    }

    /** The answer written (after {@link #answer()}). */
    QueryResult result() {
        return result;
    }

    @Benchmark
    public int write() throws IOException {
        out.reset();
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            if (before) {
                if (columns) {
                    QueryAnswersBefore.columns(json, result);
                } else {
                    QueryAnswersBefore.rows(json, result);
                }
            } else if (columns) {
                QueryAnswers.columns(json, result);
            } else {
                QueryAnswers.rows(json, result);
            }
        }
        return out.size();
    }
}
