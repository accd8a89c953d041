package nexus.api.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import nexus.core.MetricFamily;
import nexus.core.MetricsSource;

/**
 * One {@code /metrics} scrape of 200 families and 2,040 samples ({@link ScrapeWorkload}), rendered
 * to the bytes of the text format four ways: the hand-written writer alone ({@code handWritten}),
 * the whole servlet path with it (sources asked, families checked and merged, the text's room
 * reserved from the last scrape's length: {@code scrape}),
 * Prometheus client_java 1.10's {@code PrometheusTextFormatWriter} from our records
 * ({@code clientJava}: conversion included, as the servlet would have to do it), and the same
 * writer from snapshots built beforehand ({@code clientJavaPrebuilt}: its best case, as if every
 * source answered client_java snapshots).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class MetricsRenderBenchmark {

    private List<MetricsSource> sources;
    private List<MetricFamily> families;
    private MetricSnapshots snapshots;
    private PrometheusTextFormatWriter writer;
    private ByteArrayOutputStream out;
    private Exposition exposition;

    @Setup
    public void workload() {
        sources = ScrapeWorkload.sources();
        families = ScrapeWorkload.families(sources);
        snapshots = ClientJavaBridge.snapshots(families);
        writer = PrometheusTextFormatWriter.create();
        out = new ByteArrayOutputStream(1 << 18);
        exposition = new Exposition();
    }

    @Benchmark
    public byte[] handWritten() {
        return PrometheusText.render(families);
    }

    @Benchmark
    public byte[] scrape() {
        return exposition.render(sources);
    }

    @Benchmark
    public byte[] clientJava() throws IOException {
        out.reset();
        writer.write(out, ClientJavaBridge.snapshots(families));
        return out.toByteArray();
    }

    @Benchmark
    public byte[] clientJavaPrebuilt() throws IOException {
        out.reset();
        writer.write(out, snapshots);
        return out.toByteArray();
    }
}
