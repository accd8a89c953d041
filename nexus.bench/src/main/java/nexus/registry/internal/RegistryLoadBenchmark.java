package nexus.registry.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import nexus.registry.Problem;
import nexus.registry.ValidationReport;
import nexus.rma.Bank;

/**
 * The registry at load-test size: a generated demo plant of a million tags. {@code load} is
 * everything a (re)load does — integrity checks, reading every tag's allocation and the alarms,
 * validation, building the allocation index; {@code validate} is the bitmap validation alone, on
 * allocations already in memory. Single shots: a load is a rare, whole event.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = { "-Xmx4g" })
@State(Scope.Benchmark)
public class RegistryLoadBenchmark {

    @Param({ "1000000" })
    int tags;

    private Path dir;
    private Path file;
    private List<Bank> banks;
    private AllocationTable table;
    private AllocationTable flags;

    @Setup(Level.Trial)
    public void generate() throws IOException {
        dir = Files.createTempDirectory("nexus-registry-bench");
        file = dir.resolve("registry.db");
        ValidationReport report = DemoPlant.write(file, tags);
        if (!report.valid()) {
            throw new IllegalStateException(report.describe());
        }
        System.out.println("\ngenerated " + report.tags() + " tags, " + report.alarms() + " alarms in " + report.millis()
                + " ms, file " + Files.size(file) + " bytes");
        RegistryLoader.Result loaded = RegistryLoader.load(file, 1, 1, 1_000);
        LoadedRegistry registry = loaded.registry();
        banks = registry.banks();
        table = new AllocationTable(registry.index().size(), row -> "tag " + row);
        for (int i = 0; i < registry.index().size(); i++) {
            var a = registry.index().allocation(i);
            table.add(a.bank(), a.byteOffset(), a.bitOffset(), a.type(), a.length());
        }
        flags = new AllocationTable(registry.alarms().size(), row -> "alarm " + row);
        registry.alarms().forEach(a -> flags.add(a.flags().bank(), a.flags().byteOffset(), 0, a.flags().type(), 1));
        System.out.println("index: " + registry.index().size() + " tags, " + registry.index().memoryBytes() + " bytes, "
                + registry.index().memoryBytes() / registry.index().size() + " bytes per tag");
        registry.retire();
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public LoadedRegistry load() {
        RegistryLoader.Result result = RegistryLoader.load(file, 1, 1, 1_000);
        if (result.registry() == null) {
            throw new IllegalStateException(result.report().describe());
        }
        result.registry().retire();
        return result.registry();
    }

    @Benchmark
    public List<Problem> validate() {
        List<Problem> problems = new ArrayList<>();
        table.marked.clear();
        flags.marked.clear();
        Validator validator = new Validator(banks, problems);
        validator.check(table);
        validator.check(flags);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(problems.get(0).toString());
        }
        return problems;
    }
}
