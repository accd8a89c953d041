package nexus.rma.internal;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;

/**
 * {@link BlockReadBenchmark}'s two methods, same set-up, alternating in one JVM: a slice of
 * backendRead, then a slice of plainCopy, 400 times (after 100 slices of warm-up), and the median
 * time of each. On a shared machine JMH runs the two in separate forks seconds apart, and a load
 * that changes in between moves their ratio by ±50 %; here both see the same load, and the medians
 * drop the slices a burst of other work hit. Nothing is asserted.
 *
 * <p>Run: {@code java -cp nexus.bench/target/benchmarks.jar nexus.rma.internal.BlockReadInterleaved [heap|mmap] [size]}
 * (without arguments: both backends, 16 B, 1 KiB and 64 KiB)
 */
public final class BlockReadInterleaved {

    private static final int BLOCKS = BlockReadBenchmark.BLOCKS;
    private static final int BANK = BlockReadBenchmark.BANK;
    private static final int SLICES = 400;

    private BlockReadInterleaved() {
    }

    public static void main(String[] args) throws IOException {
        List<String> backends = args.length > 0 ? List.of(args[0]) : List.of("heap", "mmap");
        List<Integer> sizes = args.length > 1 ? List.of(Integer.parseInt(args[1])) : List.of(16, 1024, 65536);
        System.out.printf(Locale.ROOT, "%s %s, %d blocks per read over a %d-byte bank, medians of %d slices%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), BLOCKS, BANK, SLICES);
        for (String backend : backends) {
            for (int size : sizes) {
                run(backend, size);
            }
        }
    }

    private static void run(String backend, int size) throws IOException {
        Path dir = Files.createTempDirectory("nexus-interleaved");
        List<Bank> layout = List.of(new Bank(0, "process", BANK));
        int[] offsets = new int[BLOCKS];
        BlockRead[] blocks = new BlockRead[BLOCKS];
        byte[][] targets = new byte[BLOCKS][size];
        for (int i = 0; i < BLOCKS; i++) {
            offsets[i] = i * (BANK / BLOCKS);
            blocks[i] = new BlockRead(size).target(0, offsets[i], size);
        }
        BankedBackend rma;
        byte[] heapSource = null;
        MappedByteBuffer mappedSource = null;
        if (backend.equals("heap")) {
            rma = new HeapRmaBackend(layout);
            heapSource = new byte[BANK];
        } else {
            rma = MappedRmaBackend.open(dir.resolve("bench.mmap"), layout);
            Path plain = dir.resolve("plain.bin");
            Files.write(plain, new byte[BANK]);
            try (FileChannel channel = FileChannel.open(plain, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                mappedSource = channel.map(FileChannel.MapMode.READ_WRITE, 0, BANK);
            }
        }
        for (int i = 0; i < BLOCKS; i++) {
            rma.write(0, offsets[i], new byte[size], 0, size);
        }
        int ops = Math.max(100, 20_000 * 16 / Math.max(16, size / 4));
        double[] backendRead = new double[SLICES];
        double[] plainCopy = new double[SLICES];
        long sink = 0;
        for (int slice = -SLICES / 4; slice < SLICES; slice++) {
            long t0 = System.nanoTime();
            for (int n = 0; n < ops; n++) {
                sink += backendRead(rma, blocks);
            }
            long t1 = System.nanoTime();
            for (int n = 0; n < ops; n++) {
                sink += plainCopy(heapSource, mappedSource, offsets, targets, size);
            }
            long t2 = System.nanoTime();
            if (slice >= 0) {
                backendRead[slice] = (t1 - t0) / (double) ops;
                plainCopy[slice] = (t2 - t1) / (double) ops;
            }
        }
        rma.close();
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
        double read = median(backendRead);
        double copy = median(plainCopy);
        System.out.printf(Locale.ROOT, "%-4s %6d B: backendRead %10.1f ns, plainCopy %10.1f ns, ratio %.2f× (%d)%n",
                backend, size, read, copy, read / copy, sink & 1);
    }

    private static long backendRead(RmaBackend rma, BlockRead[] blocks) {
        rma.read(blocks, BLOCKS);
        return blocks[BLOCKS - 1].sequence();
    }

    private static long plainCopy(byte[] heapSource, MappedByteBuffer mappedSource, int[] offsets, byte[][] targets,
            int size) {
        if (heapSource != null) {
            for (int i = 0; i < BLOCKS; i++) {
                System.arraycopy(heapSource, offsets[i], targets[i], 0, size);
            }
        } else {
            for (int i = 0; i < BLOCKS; i++) {
                mappedSource.get(offsets[i], targets[i], 0, size);
            }
        }
        return targets[BLOCKS - 1][0];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
