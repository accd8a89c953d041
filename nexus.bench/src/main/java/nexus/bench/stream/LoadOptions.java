package nexus.bench.stream;

import static nexus.bench.Arguments.number;
import static nexus.bench.Arguments.value;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a stream load run does, from its command line. Every option has a default but the node's
 * pid; {@link #parse} says plainly what was wrong with an argument.
 *
 * @param url        the stream endpoint, {@code ws://…/api/v1/stream}
 * @param token      an API token sent as {@code Authorization: Bearer}, or {@code null}
 * @param clients    WebSocket connections, stalled ones included
 * @param tags       tags per subscription (one subscription per client)
 * @param sql        the subscription's SELECT, or {@code null} when {@code paths} is given
 * @param paths      a file of tag paths, one per line (the first {@code tags} are used), or {@code null}
 * @param samplingMs the subscription's sampling interval
 * @param seconds    how long values are measured
 * @param warmup     seconds before that, not measured
 * @param stalled    clients that never read (they never ask the WebSocket for a message)
 * @param pid        the node's process id for its CPU time and heap, or 0
 * @param heap       whether to force a full GC in the node and read its heap at minute 1 and at the end
 * @param row        whether to end with one markdown table row of the figures
 */
record LoadOptions(URI url, String token, int clients, int tags, String sql, Path paths, int samplingMs, int seconds,
        int warmup, int stalled, long pid, boolean heap, boolean row) {

    static final String USAGE = """
            usage: java -cp nexus.bench/target/benchmarks.jar nexus.bench.stream.StreamLoad [options]
              --url URL          the stream endpoint (ws://127.0.0.1:8080/api/v1/stream)
              --token TOKEN      an API token, sent as Authorization: Bearer (none)
              --clients N        WebSocket connections, stalled ones included (10)
              --tags M           tags each client subscribes to (1000): the first M tags the simulator moves
              --sql SELECT       the subscription's query instead (give its LIMIT yourself)
              --paths FILE       tag paths, one a line, instead of a query (the first M are used)
              --sampling-ms MS   the subscription's samplingMs (20)
              --seconds S        how long values are measured (60)
              --warmup S         seconds before that, not measured (10)
              --stalled K        of the clients, K never read: the node must close them, not slow down (0)
              --pid PID          the node's process: its CPU time from /proc/PID/stat (none)
              --heap             with --pid: jcmd PID GC.run, then GC.heap_info, at minute 1 and at the end
              --row              end with one markdown table row of the figures (for tools/stream-bench)
            """;

    /** The simulated tags whose value changes at every simulator step (toggles change only now and then). */
    static String simulatedTags(int tags) {
        return "SELECT tag_id FROM tag_properties WHERE key = 'simulate' AND value IN ('sine', 'noise', 'ramp') LIMIT "
                + tags;
    }

    /**
     * @throws IllegalArgumentException saying which argument is wrong and what it should be
     */
    static LoadOptions parse(String... args) {
        URI url = URI.create("ws://127.0.0.1:8080/api/v1/stream");
        String token = null;
        int clients = 10;
        int tags = 1000;
        String sql = null;
        Path paths = null;
        int samplingMs = 20;
        int seconds = 60;
        int warmup = 10;
        int stalled = 0;
        long pid = 0;
        boolean heap = false;
        boolean row = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--heap" -> heap = true;
                case "--row" -> row = true;
                case "--url" -> url = url(value(args, i++));
                case "--token" -> token = value(args, i++);
                case "--clients" -> clients = number(option, value(args, i++), 1);
                case "--tags" -> tags = number(option, value(args, i++), 1);
                case "--sql" -> sql = value(args, i++);
                case "--paths" -> paths = Path.of(value(args, i++));
                case "--sampling-ms" -> samplingMs = number(option, value(args, i++), 1);
                case "--seconds" -> seconds = number(option, value(args, i++), 1);
                case "--warmup" -> warmup = number(option, value(args, i++), 0);
                case "--stalled" -> stalled = number(option, value(args, i++), 0);
                case "--pid" -> pid = number(option, value(args, i++), 1);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (stalled >= clients) {
            throw new IllegalArgumentException("--stalled " + stalled + " leaves no client that reads: give fewer than"
                    + " --clients (" + clients + ")");
        }
        if (sql != null && paths != null) {
            throw new IllegalArgumentException("give --sql or --paths, not both");
        }
        if (heap && pid == 0) {
            throw new IllegalArgumentException("--heap needs the node's --pid");
        }
        return new LoadOptions(url, token, clients, tags, sql == null && paths == null ? simulatedTags(tags) : sql, paths,
                samplingMs, seconds, warmup, stalled, pid, heap, row);
    }

    private static URI url(String text) {
        String scheme = text.toLowerCase(Locale.ROOT);
        if (!scheme.startsWith("ws://") && !scheme.startsWith("wss://")) {
            throw new IllegalArgumentException("--url '" + text + "' is not a ws:// or wss:// address");
        }
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url '" + text + "' is not an address: " + e.getMessage(), e);
        }
    }
}
