package nexus.bench.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's CPU time (from {@code /proc/<pid>/stat}) and its heap after a full collection (through
 * {@code jcmd}), read from outside the node's JVM. Linux only; the node must run as the same user.
 */
final class NodeProbe {

    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");

    private final long pid;
    private final long ticksPerSecond;

    NodeProbe(long pid) {
        this.pid = pid;
        this.ticksPerSecond = ticksPerSecond();
    }

    /** @return the node's user and system CPU time so far, in nanoseconds */
    long cpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        return cpuTicks(stat) * 1_000_000_000L / ticksPerSecond;
    }

    /**
     * Runs a full collection in the node ({@code jcmd PID GC.run}), then reads its heap.
     *
     * @return the heap in use after it, in bytes
     */
    long heapAfterFullGc() throws IOException {
        jcmd("GC.run");
        return heapUsedBytes(jcmd("GC.heap_info"));
    }

    /** @return utime + stime, in clock ticks, from a {@code /proc/<pid>/stat} line */
    static long cpuTicks(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * @return the heap in use, in bytes, from {@code jcmd GC.heap_info}: the sum of the "used"
     *         figures of its heap lines (G1 prints one for the whole heap, the parallel collector one
     *         per generation), metaspace left out
     * @throws IOException when the text has no such figure
     */
    static long heapUsedBytes(String heapInfo) throws IOException {
        long bytes = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher used = USED.matcher(line);
            if (used.find()) {
                long unit = switch (used.group(2)) {
                    case "K" -> 1024L;
                    case "M" -> 1024L * 1024;
                    default -> 1024L * 1024 * 1024;
                };
                bytes += Long.parseLong(used.group(1)) * unit;
                found = true;
            }
        }
        if (!found) {
            throw new IOException("jcmd GC.heap_info printed no heap figure: " + MessageScan.abbreviate(heapInfo.strip()));
        }
        return bytes;
    }

    private String jcmd(String command) throws IOException {
        Path beside = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String jcmd = Files.isExecutable(beside) ? beside.toString() : "jcmd";
        Process process = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(jcmd + " " + pid + " " + command + " did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while waiting for jcmd", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(jcmd + " " + pid + " " + command + " failed (is the node's JVM this user's?): "
                    + MessageScan.abbreviate(output.strip()));
        }
        return output;
    }

    /** Clock ticks per second of /proc's CPU times: {@code getconf CLK_TCK}, 100 when it cannot say. */
    private static long ticksPerSecond() {
        try {
            Process process = new ProcessBuilder(List.of("getconf", "CLK_TCK")).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            return process.waitFor() == 0 && out.matches("\\d+") ? Long.parseLong(out) : 100;
        } catch (IOException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
