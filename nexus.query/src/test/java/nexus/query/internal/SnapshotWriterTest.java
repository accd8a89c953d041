package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import nexus.query.SnapshotFormat;

/** What the snapshot writers hand their sink, and when. */
class SnapshotWriterTest {

    /** A sink that counts its flushes. */
    private static final class Counted extends ByteArrayOutputStream {
        int flushes;

        @Override
        public void flush() {
            flushes++;
        }
    }

    @Test
    void bothFormatsFlushTheSinkOnlyWhenTheExportFlushes() throws IOException {
        for (SnapshotFormat format : SnapshotFormat.values()) {
            Counted sink = new Counted();
            SnapshotWriter writer = SnapshotWriter.of(format, sink);
            writer.header(1, Instant.EPOCH, 1_000, "sha256:00");
            for (int i = 0; i < 1_000; i++) {
                writer.tag("plant/tag" + i, "FLOAT64", i * 0.5, "GOOD", "process", i, 1);
            }
            writer.trailer(1_000, "sha256:00");
            assertThat(sink.flushes).as(format + ": no flush per line").isZero();

            writer.flush();

            assertThat(sink.flushes).as(format + ": one flush").isEqualTo(1);
            assertThat(sink.toString()).as(format.name()).contains("plant/tag999");
        }
    }
}
