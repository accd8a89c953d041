package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.Access;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.TagPath;
import nexus.query.QueryOptions;
import nexus.query.RestoreOptions;
import nexus.query.RestoreResult;
import nexus.query.SnapshotFormat;
import nexus.query.SnapshotService;

/**
 * Defects found attacking find and snapshots (issue 16, parts 1 and 3). Each test states the
 * behaviour the docs promise; each fails on the code as it is at h-X's base.
 */
class SnapshotAndFindAttackTest {

    @TempDir
    Path dir;

    private TagPlant plant;
    private Snapshots snapshots;

    @BeforeEach
    void plant() {
        plant = new TagPlant(dir);
        snapshots = new Snapshots(plant.engine, plant, plant.tags);
        plant.plcValues();
    }

    @AfterEach
    void close() {
        plant.close();
    }

    /**
     * docs/snapshot.md: a value is "NaN", "Infinity" or "-Infinity" only for a float; the issue: "values
     * of the wrong type: refused whole". An INT16 or a BOOL holding "NaN" is the wrong type, yet it is
     * skipped as if it were a float's non-finite value, and the restore goes on.
     */
    @Test
    void aNonFiniteTextInAnIntegerOrBoolTagIsRefusedAsTheWrongType() throws IOException {
        String file = SnapshotsTest.export(snapshots, SnapshotsTest.ROOT, SnapshotFormat.JSONL);
        String intNaN = file.replace("\"value\":1500", "\"value\":\"NaN\"");
        String boolInfinity = file.replace("\"path\":\"plant/pump/start\",\"type\":\"BOOL\",\"value\":true",
                "\"path\":\"plant/pump/start\",\"type\":\"BOOL\",\"value\":\"Infinity\"");
        assertThat(intNaN).isNotEqualTo(file);
        assertThat(boolInfinity).isNotEqualTo(file);

        for (String wrong : List.of(intNaN, boolInfinity)) {
            NexusException e = catchThrowableOfType(() -> SnapshotsTest.restore(snapshots, SnapshotsTest.ROOT, wrong,
                    RestoreOptions.dryRun(false)), NexusException.class);
            assertThat(e).as("a dry run of a file with a text in a numeric/BOOL tag is refused").isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
    }

    /**
     * docs/snapshot.md: "a restore reads it back" and the CSV round trip is exact. A STRING value holding
     * a carriage return comes back as a line feed (the reader joins the physical lines of a quoted cell
     * with '\n'), so the restore writes another text than the snapshot held.
     */
    @Test
    void aStringValueWithACarriageReturnSurvivesACsvRoundTrip() throws IOException {
        plant.plc("plant/batch", "a\rb");
        String csv = SnapshotsTest.export(snapshots, SnapshotsTest.ROOT, SnapshotFormat.CSV);
        plant.plc("plant/batch", "x");

        RestoreResult done = SnapshotsTest.restore(snapshots, SnapshotsTest.ROOT, csv);

        assertThat(done.written()).contains("plant/batch");
        assertThat(plant.value("plant/batch")).isEqualTo("a\rb");
    }

    /**
     * TagPath allows the one-segment paths "#end" and "#error". In CSV such a tag's row begins with
     * that cell, and the reader takes it for the trailer or the error row: the export of a good plant
     * cannot be restored (refused as "the row has no layoutHash=").
     */
    @Test
    void aTagPathedHashEndRoundTripsThroughCsv() throws IOException {
        assertThat(TagPath.problem("#end")).isNull();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter writer = SnapshotWriter.of(SnapshotFormat.CSV, out);
        writer.header(1, Instant.EPOCH, 1, "sha256:00");
        writer.tag("#end", "STRING", "x", "GOOD", "process", 1, 1);
        writer.trailer(1, "sha256:00");
        writer.flush();

        SnapshotFile file = SnapshotFile.read(new ByteArrayInputStream(out.toByteArray()), SnapshotService.RESTORE_MAX_BYTES);

        assertThat(file.entries).extracting(SnapshotFile.Entry::path).containsExactly("#end");
    }

    /**
     * docs/snapshot.md: the export "streams what it writes" a page at a time (SnapshotExport flushes per
     * page). The JSON-lines writer flushes the sink after EVERY line (JsonGenerator.flush passes the
     * flush on), so over HTTP each tag is its own chunk: 1,000,005 chunks for a million tags, measured
     * 12.7 s against 8.4 s for CSV (127 chunks for 10,002 tags).
     */
    @Test
    void theJsonLinesExportFlushesAPageAtATimeNotEveryLine() throws IOException {
        int[] flushes = { 0 };
        OutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                flushes[0]++;
            }
        };

        snapshots.export(SnapshotsTest.ROOT, SnapshotFormat.JSONL, sink);

        assertThat(flushes[0]).as("flushes for 7 tags in one page").isLessThanOrEqualTo(3);
    }

    /**
     * docs/find.md: path_glob "answers in time bounded by the glob's length times the path's, since
     * SQLite cannot interrupt a function". The glob is bounded (1,024) but the path is not: any text
     * of up to SQLITE_LIMIT_LENGTH (10,000,000) built with replace() is taken, so one call runs for
     * ~30 s past the query's time limit, holding a slot (4 such requests answered everyone else 429 for
     * a minute on the demo node). No tag path is longer than TagPath.MAX_BYTES: a longer one must be
     * refused (or answered 0) without matching.
     */
    @Test
    void pathGlobRefusesAPathLongerThanAnyTagPath() {
        String path = "a".repeat(TagPath.MAX_BYTES + 1);

        NexusException e = catchThrowableOfType(() -> plant.engine.select(plant.current, plant.rma, Access.UNRESTRICTED,
                "SELECT path_glob(?, ?) AS m FROM tags LIMIT 1", new QueryOptions(1, 0, List.of("*b", path))),
                NexusException.class);

        assertThat(e).as("a path longer than any tag path is refused before matching").isNotNull();
        assertThat(e).hasMessageContaining("path_glob");
    }
}
