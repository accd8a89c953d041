package nexus.bench.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import nexus.json.NexusJson;
import nexus.query.Quality;
import nexus.query.TagValue;

/**
 * The JSON of a 10,000-row answer as {@code POST /api/v1/query} writes it (issue 18, "encoding
 * without waste"): each row's columns {@code id, path, unit} and its live {@code value, quality, ts}
 * through {@link NexusJson#value}. The rows come in blocks of 1,000 that share their bank's write
 * time, as the block reads give them. {@code answerTextPerRow} makes the time text for every row,
 * as the writer did before it kept the last one: the reference. Run with {@code -prof gc} for the
 * allocation per answer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RowsJsonBenchmark {

    private static final int ROWS = 10_000;
    private static final int BLOCK = 1_000;

    private final JsonFactory factory = new JsonFactory();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
    private String[] paths;
    private TagValue[] values;

    @Setup
    public void rows() {
        paths = new String[ROWS];
        values = new TagValue[ROWS];
        long written = 1_765_033_457_123_456_789L;
        for (int i = 0; i < ROWS; i++) {
            paths[i] = "site1/area" + (i / 2000) + "/line" + (i / 100) + "/tank" + (i / 10) + "/level";
            values[i] = new TagValue((float) (i * 0.25), Quality.GOOD, written + (i / BLOCK) * 1_000_000L);
        }
    }

    @Benchmark
    public int answer() throws IOException {
        out.reset();
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("rows");
            for (int i = 0; i < ROWS; i++) {
                json.writeStartObject();
                json.writeNumberField("id", i + 1);
                json.writeStringField("path", paths[i]);
                json.writeStringField("unit", "%");
                NexusJson.value(json, values[i]);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.size();
    }

    /** The same answer with the time text made for every row, as before the change: the reference. */
    @Benchmark
    public int answerTextPerRow() throws IOException {
        out.reset();
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("rows");
            for (int i = 0; i < ROWS; i++) {
                json.writeStartObject();
                json.writeNumberField("id", i + 1);
                json.writeStringField("path", paths[i]);
                json.writeStringField("unit", "%");
                TagValue v = values[i];
                json.writeFieldName("value");
                NexusJson.scalar(json, v.value());
                json.writeStringField("quality", v.quality().name());
                json.writeStringField("ts", java.time.Instant.ofEpochSecond(Math.floorDiv(v.timestamp(), 1_000_000_000L),
                        Math.floorMod(v.timestamp(), 1_000_000_000L)).toString());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.size();
    }
}
