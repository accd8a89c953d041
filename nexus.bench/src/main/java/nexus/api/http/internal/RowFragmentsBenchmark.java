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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.json.NexusJson;
import nexus.query.Quality;
import nexus.query.QueryResult;
import nexus.query.QueryStats;
import nexus.query.TagValue;

/**
 * Whether pre-encoded metadata pays (issue 18 item 2): the rows answer of {@link QueryFormatsBenchmark}
 * ({@code SELECT id, path, unit FROM tags}, 10,000 rows, live FLOAT32 values, blocks of 1,000) written
 * four ways. {@code generator}: {@link QueryAnswers#rows}, every row's cells encoded. {@code kept}: the
 * same with the metadata texts {@link RowFragments} keeps (what the route does for a repeated answer).
 * Two prototypes write the whole rows array raw, past the generator, the live values beside the
 * metadata (the value's text by {@link FloatText}, {@code ,"quality":"GOOD"} and the quoted time text
 * encoded once each): {@code fragments} with each row's <code>{"id":…,"path":"…","unit":"…"</code> as UTF-8
 * bytes made once, {@code raw} encoding the metadata for every answer. So {@code raw} against
 * {@code fragments} is what keeping the metadata's bytes saves when writing raw, and {@code generator}
 * against {@code raw} what bypassing the generator does. All four write the same bytes (checked at
 * set-up).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RowFragmentsBenchmark {

    private static final int ROWS = 10_000;
    private static final int BLOCK = 1_000;
    private static final SerializedString VALUE = encoded(",\"value\":");
    private static final SerializedString TS = encoded(",\"ts\":");
    private static final SerializedString ID_FIRST = encoded("{\"id\":");
    private static final SerializedString ID = encoded(",{\"id\":");
    private static final SerializedString PATH = encoded(",\"path\":\"");
    private static final SerializedString UNIT = encoded("\",\"unit\":\"");
    private static final SerializedString[] QUALITY = new SerializedString[Quality.values().length];

    static {
        for (Quality quality : Quality.values()) {
            QUALITY[quality.ordinal()] = encoded(",\"quality\":\"" + quality.name() + "\"");
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 21);
    private final ObjectMapper mapper = new ObjectMapper();
    private final char[] digits = new char[FloatText.MAX_CHARS];
    private QueryResult result;
    private SerializedString[] fragments;
    private final RowFragments keptTexts = new RowFragments(RowFragments.DEFAULT_BYTES);

    @Setup
    public void answer() throws IOException {
        List<QueryResult.Row> rows = new ArrayList<>(ROWS);
        fragments = new SerializedString[ROWS];
        long written = 1_765_033_457_123_456_789L;
        for (int i = 0; i < ROWS; i++) {
            String path = "site1/area" + (i / 2000) + "/line" + (i / 100) + "/tank" + (i / 10) + "/level";
            rows.add(new QueryResult.Row(List.of((long) i + 1, path, "%"),
                    new TagValue((float) (i * 0.25), Quality.GOOD, written + (i / BLOCK) * 1_000_000L)));
            fragments[i] = encoded((i == 0 ? "{" : ",{") + "\"id\":" + (i + 1) + ",\"path\":\"" + path
                    + "\",\"unit\":\"%\"");
        }
        result = new QueryResult(List.of("id", "path", "unit"), rows, false, 1,
                new QueryStats(ROWS, ROWS, 1, 10, 40_000, 40_000, true, 0, 0, 0, 0, 0));
        generator();
        byte[] expected = out.toByteArray();
        fragments();
        if (!java.util.Arrays.equals(expected, out.toByteArray())) {
            throw new IllegalStateException("the fragments prototype writes other bytes than QueryAnswers.rows");
        }
        kept();
        kept();
        if (keptTexts.size() != 1 || !java.util.Arrays.equals(expected, out.toByteArray())) {
            throw new IllegalStateException("RowFragments kept no answer, or other bytes than QueryAnswers.rows");
        }
        System.out.println("RowFragments holds " + keptTexts.bytes() + " bytes (estimated) for the answer");
        raw();
        if (!java.util.Arrays.equals(expected, out.toByteArray())) {
            throw new IllegalStateException("the raw prototype writes other bytes than QueryAnswers.rows");
        }
    }

    @Benchmark
    public int generator() throws IOException {
        out.reset();
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            QueryAnswers.rows(json, result);
        }
        return out.size();
    }

    /**
     * {@link QueryAnswers#rows} with the metadata texts {@link RowFragments} keeps (the answer seen
     * twice at set-up): each row's {@code id} field named through the generator, the rest of its
     * metadata ({@code 1,"path":"…","unit":"%"}) written as that field's raw value.
     */
    @Benchmark
    public int kept() throws IOException {
        out.reset();
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            QueryAnswers.rows(json, result, keptTexts);
        }
        return out.size();
    }

    /** The rows written raw like {@link #fragments}, the metadata encoded for every answer instead of kept. */
    @Benchmark
    public int raw() throws IOException {
        return rawRows(false);
    }

    @Benchmark
    public int fragments() throws IOException {
        return rawRows(true);
    }

    /**
     * @param kept whether the metadata comes from the fragments made at set-up, or is written here
     *             (without escapes: the paths of this answer need none)
     */
    private int rawRows(boolean kept) throws IOException {
        out.reset();
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("columns");
            for (String column : result.columns()) {
                json.writeString(column);
            }
            json.writeEndArray();
            json.writeFieldName("rows");
            json.writeRawValue("["); // the generator counts one value; the rows go in raw after it
            long lastTime = 0;
            SerializableString lastText = null;
            List<QueryResult.Row> rows = result.rows();
            for (int i = 0; i < rows.size(); i++) {
                if (kept) {
                    json.writeRaw(fragments[i]);
                } else {
                    List<Object> cells = rows.get(i).cells();
                    json.writeRaw(i == 0 ? ID_FIRST : ID);
                    int length = com.fasterxml.jackson.core.io.NumberOutput.outputLong((Long) cells.get(0), digits, 0);
                    json.writeRaw(digits, 0, length);
                    json.writeRaw(PATH);
                    json.writeRaw((String) cells.get(1));
                    json.writeRaw(UNIT);
                    json.writeRaw((String) cells.get(2));
                    json.writeRaw('"');
                }
                TagValue tag = rows.get(i).tag();
                json.writeRaw(VALUE);
                int length = FloatText.write((Float) tag.value(), digits);
                json.writeRaw(digits, 0, length);
                json.writeRaw(QUALITY[tag.quality().ordinal()]);
                json.writeRaw(TS);
                if (lastText == null || tag.timestamp() != lastTime) {
                    lastTime = tag.timestamp();
                    lastText = encoded("\"" + NexusJson.iso(lastTime) + "\"");
                }
                json.writeRaw(lastText);
                json.writeRaw('}');
            }
            json.writeRaw(']');
            json.writeBooleanField("truncated", result.truncated());
            json.writeNumberField("registryVersion", result.registryVersion());
            json.writeObjectField("stats", result.stats());
            json.writeEndObject();
        }
        return out.size();
    }

    /** @return the text with its UTF-8 bytes made now, not at first use */
    private static SerializedString encoded(String text) {
        SerializedString encoded = new SerializedString(text);
        encoded.asUnquotedUTF8();
        return encoded;
    }
}
