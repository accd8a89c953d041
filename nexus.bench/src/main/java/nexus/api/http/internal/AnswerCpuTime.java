package nexus.api.http.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writers of {@link QueryFormatsBenchmark} and {@link RowFragmentsBenchmark} timed by the CPU time
 * of the writing thread, the variants taking turns round by round: on a machine shared with other
 * work the wall-clock times of JMH swing with the load, while the CPU time an answer takes, compared
 * between variants that ran interleaved, does much less. Prints the median and the quartiles of the
 * CPU time per answer of each variant.
 *
 * <pre>java --add-opens=java.base/java.nio=ALL-UNNAMED -cp nexus.bench/target/benchmarks.jar nexus.api.http.internal.AnswerCpuTime [rounds]</pre>
 * (the option lets {@link ArrowAnswer} run: without it, Apache Arrow is left out)
 */
public final class AnswerCpuTime {

    private static final int ANSWERS_PER_ROUND = 20;

    private AnswerCpuTime() {
    }

    interface Answer {
        int write() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        // Arrow's memory module needs java.nio opened to it on JDK 17 (ArrowAnswer); without, it is left out.
        boolean arrow = java.nio.ByteBuffer.class.getModule().isOpen("java.nio", AnswerCpuTime.class.getModule());
        if (!arrow) {
            System.out.println("Apache Arrow left out: run with --add-opens=java.base/java.nio=ALL-UNNAMED to include it");
        }
        Map<String, Answer> variants = new LinkedHashMap<>();
        for (String values : List.of("quarters", "readings")) {
            for (String format : List.of("rows", "columns", "cbor")) {
                for (String writer : List.of("before", "cells")) {
                    QueryFormatsBenchmark benchmark = new QueryFormatsBenchmark();
                    benchmark.values = values;
                    benchmark.format = format;
                    benchmark.writer = writer;
                    benchmark.answer();
                    variants.put(values + " " + format + " " + writer, benchmark::write);
                    if (format.equals("rows") && writer.equals("cells") && arrow) {
                        ArrowAnswer answer = new ArrowAnswer(benchmark.result());
                        variants.put(values + " arrow (Apache Arrow IPC)", answer::write);
                    }
                }
            }
        }
        RowFragmentsBenchmark fragments = new RowFragmentsBenchmark();
        fragments.answer();
        variants.put("quarters rows generator (RowFragments)", fragments::generator);
        variants.put("quarters rows kept (RowFragments)", fragments::kept);
        variants.put("quarters rows raw (RowFragments)", fragments::raw);
        variants.put("quarters rows fragments (RowFragments)", fragments::fragments);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, List<Double>> micros = new LinkedHashMap<>();
        variants.keySet().forEach(name -> micros.put(name, new ArrayList<>()));
        int warmUp = Math.max(5, rounds / 4);
        for (int round = 0; round < warmUp + rounds; round++) {
            for (Map.Entry<String, Answer> variant : variants.entrySet()) {
                long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < ANSWERS_PER_ROUND; i++) {
                    variant.getValue().write();
                }
                long t1 = threads.getCurrentThreadCpuTime();
                if (round >= warmUp) {
                    micros.get(variant.getKey()).add((t1 - t0) / 1e3 / ANSWERS_PER_ROUND);
                }
            }
        }
        System.out.printf("%-42s %10s %10s %10s%n", "variant (CPU µs per answer)", "p25", "median", "p75");
        micros.forEach((name, times) -> {
            double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("%-42s %10.0f %10.0f %10.0f%n", name, at(sorted, 0.25), at(sorted, 0.5), at(sorted, 0.75));
        });
    }

    private static double at(double[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)))];
    }
}
