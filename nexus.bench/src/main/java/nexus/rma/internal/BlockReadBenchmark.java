package nexus.rma.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import org.openjdk.jmh.infra.Blackhole;

import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;

/**
 * Reading a set of 8 blocks through a backend ({@code backendRead}) against the physical limit:
 * a plain copy of the same bytes from the same memory ({@code plainCopy}: System.arraycopy from a
 * byte array for heap, a bulk get from a mapped buffer of the same kind of file for mmap).
 * Run with {@code -prof gc} to see the bytes allocated per read.
 *
 * <p>Fair on purpose: the same bytes at the same offsets, the same kind of memory (a mapped file
 * for mmap), the same destination (one {@code byte[]} of the block's size per block), the same bulk
 * {@code get} for mmap; each copy lands in an array the state keeps, so none can be eliminated.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BlockReadBenchmark {

    static final int BLOCKS = 8;
    static final int BANK = 1 << 20;

    @Param({ "16", "1024", "65536" })
    int size;

    @Param({ "heap", "mmap" })
    String backend;

    private RmaBackend rma;
    private BlockRead[] blocks;
    private int[] offsets;
    private byte[] heapSource;
    private MappedByteBuffer mappedSource;
    private byte[][] targets;
    private Path dir;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        List<Bank> layout = List.of(new Bank(0, "process", BANK));
        offsets = new int[BLOCKS];
        blocks = new BlockRead[BLOCKS];
        targets = new byte[BLOCKS][size];
        for (int i = 0; i < BLOCKS; i++) {
            offsets[i] = i * (BANK / BLOCKS);
            blocks[i] = new BlockRead(size).target(0, offsets[i], size);
        }
        dir = Files.createTempDirectory("nexus-bench");
        if (backend.equals("heap")) {
            rma = new HeapRmaBackend(layout);
            heapSource = new byte[BANK];
        } else {
            rma = MappedRmaBackend.open(dir.resolve("bench.mmap"), layout);
            Path plain = dir.resolve("plain.bin");
            Files.write(plain, new byte[BANK]);
            try (FileChannel channel = FileChannel.open(plain, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                mappedSource = channel.map(FileChannel.MapMode.READ_WRITE, 0, BANK);
                mappedSource.order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        byte[] pattern = new byte[size];
        for (int i = 0; i < BLOCKS; i++) {
            rma.write(0, offsets[i], pattern, 0, size);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        ((BankedBackend) rma).close(); // stops the mmap backend's watch thread
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public void backendRead(Blackhole sink) {
        rma.read(blocks, BLOCKS);
        sink.consume(blocks[BLOCKS - 1].sequence());
    }

    @Benchmark
    public void plainCopy(Blackhole sink) {
        if (heapSource != null) {
            for (int i = 0; i < BLOCKS; i++) {
                System.arraycopy(heapSource, offsets[i], targets[i], 0, size);
            }
        } else {
            for (int i = 0; i < BLOCKS; i++) {
                mappedSource.get(offsets[i], targets[i], 0, size);
            }
        }
        sink.consume(targets[BLOCKS - 1]);
    }
}
