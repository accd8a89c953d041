package nexus.api.http.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import nexus.query.QueryResult;
import nexus.query.TagValue;

/**
 * A query answer as an Apache Arrow IPC stream (one record batch), the binary form issue 18 item 3
 * named beside CBOR: measured here, on the answers {@link QueryFormatsBenchmark} writes, against
 * the formats the node serves ({@link AnswerCpuTime} prints it beside them). The columns are those
 * of {@code SELECT id, path, unit}: id as a 64-bit integer, path and unit as UTF-8, then the live
 * value as a 32-bit float (the benchmark's answers are all FLOAT32; a real answer mixes types per
 * row and would need a union column), quality as UTF-8 and the time as nanoseconds in UTC.
 * Benchmark-only: Arrow is in no product bundle (docs/benchmarks.md, "Result formats", says why).
 * Runs on JDK 17 only with {@code --add-opens=java.base/java.nio=ALL-UNNAMED}: Arrow's memory module
 * reads a direct buffer's address by reflection.
 */
final class ArrowAnswer implements AutoCloseable {

    private static final Schema SCHEMA = new Schema(List.of(
            Field.nullable("id", new ArrowType.Int(64, true)),
            Field.nullable("path", ArrowType.Utf8.INSTANCE),
            Field.nullable("unit", ArrowType.Utf8.INSTANCE),
            Field.nullable("value", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
            Field.nullable("quality", ArrowType.Utf8.INSTANCE),
            Field.nullable("ts", new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC"))));

    private final BufferAllocator allocator = new RootAllocator();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 21);
    private final QueryResult result;

    ArrowAnswer(QueryResult result) throws IOException {
        this.result = result;
        int size = write();
        check();
        System.out.println("arrow: " + size + " bytes per answer");
    }

    /** @return the bytes of the answer, written into a reused buffer */
    int write() throws IOException {
        out.reset();
        List<QueryResult.Row> rows = result.rows();
        int n = rows.size();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
            BigIntVector id = (BigIntVector) root.getVector("id");
            VarCharVector path = (VarCharVector) root.getVector("path");
            VarCharVector unit = (VarCharVector) root.getVector("unit");
            Float4Vector value = (Float4Vector) root.getVector("value");
            VarCharVector quality = (VarCharVector) root.getVector("quality");
            TimeStampNanoTZVector ts = (TimeStampNanoTZVector) root.getVector("ts");
            id.allocateNew(n);
            path.allocateNew(n);
            unit.allocateNew(n);
            value.allocateNew(n);
            quality.allocateNew(n);
            ts.allocateNew(n);
            for (int i = 0; i < n; i++) {
                QueryResult.Row row = rows.get(i);
                List<Object> cells = row.cells();
                id.set(i, (Long) cells.get(0));
                text(path, i, cells.get(1));
                text(unit, i, cells.get(2));
                TagValue tag = row.tag();
                if (tag == null) {
                    value.setNull(i);
                    quality.setNull(i);
                    ts.setNull(i);
                    continue;
                }
                if (tag.value() instanceof Float f) {
                    value.set(i, f);
                } else {
                    value.setNull(i);
                }
                quality.setSafe(i, tag.quality().name().getBytes(StandardCharsets.US_ASCII));
                if (tag.timestamp() == 0) {
                    ts.setNull(i);
                } else {
                    ts.set(i, tag.timestamp());
                }
            }
            root.setRowCount(n);
            try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
                writer.start();
                writer.writeBatch();
                writer.end();
            }
        }
        return out.size();
    }

    private static void text(VarCharVector vector, int i, Object cell) {
        if (cell == null) {
            vector.setNull(i);
        } else {
            vector.setSafe(i, ((String) cell).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Reads the stream back: every row, its path and its value, or the benchmark measures a wrong writer. */
    private void check() throws IOException {
        List<String> paths = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator)) {
            while (reader.loadNextBatch()) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                VarCharVector path = (VarCharVector) root.getVector("path");
                Float4Vector value = (Float4Vector) root.getVector("value");
                for (int i = 0; i < root.getRowCount(); i++) {
                    paths.add(new String(path.get(i), StandardCharsets.UTF_8));
                    values.add(value.isNull(i) ? null : value.get(i));
                }
            }
        }
        List<QueryResult.Row> rows = result.rows();
        for (int i = 0; i < rows.size(); i++) {
            if (!paths.get(i).equals(rows.get(i).cells().get(1)) || !values.get(i).equals(rows.get(i).tag().value())) {
                throw new IllegalStateException("the Arrow stream read back differs at row " + i);
            }
        }
        if (paths.size() != rows.size()) {
            throw new IllegalStateException("the Arrow stream read back has " + paths.size() + " rows, not " + rows.size());
        }
    }

    @Override
    public void close() {
        allocator.close();
    }
}
