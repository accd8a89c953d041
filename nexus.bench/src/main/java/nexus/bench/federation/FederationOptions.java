package nexus.bench.federation;

import java.net.URI;
import java.util.Locale;

/**
 * What a federation load run does, from its command line. {@link #parse} says plainly what was wrong
 * with an argument.
 *
 * @param broker     the MQTT broker the host listens on
 * @param host       the host node's HTTP base URL
 * @param local      a node with local tags to time the same query against, or {@code null}
 * @param localLike  the LIKE pattern of the local node's paths
 * @param group      the Sparkplug group the edges publish in (one of the host's host.groups)
 * @param prefix     the host's host.prefix: mirrored paths start with {@code <prefix>/<group>/}
 * @param nodes      synthetic edge nodes to play
 * @param metrics    metrics per synthetic edge node
 * @param rate       changes per second, all nodes together
 * @param intervalMs how often each node publishes one NDATA with the changes of that interval
 * @param seconds    how long NDATA is measured
 * @param warmup     seconds of NDATA before that, not measured
 * @param observe    play no edges: watch the group's NBIRTH/NDATA of real edge nodes, {@code nodes} of them
 * @param queries    timed runs of each query (after one untimed)
 * @param row        whether to end with one markdown table row of the figures
 */
record FederationOptions(URI broker, URI host, URI local, String localLike, String group, String prefix, int nodes,
        int metrics, int rate, int intervalMs, int seconds, int warmup, boolean observe, int queries, boolean row) {

    static final String USAGE = """
            usage: java -cp nexus.bench/target/benchmarks.jar nexus.bench.federation.FederationLoad [options]
              --broker URL       the MQTT broker the host listens on (tcp://127.0.0.1:1883)
              --host URL         the host node's HTTP API (http://127.0.0.1:8080)
              --local URL        a node with local tags: the same query is timed there too (none)
              --local-like PAT   the LIKE pattern of that node's paths (%)
              --group ID         the Sparkplug group, one of the host's host.groups (plant)
              --prefix P         the host's host.prefix (sites)
              --nodes N          synthetic edge nodes, or with --observe the real ones awaited (10)
              --metrics M        metrics per synthetic edge node (10000)
              --rate R           changes per second, all nodes together (10000)
              --interval-ms MS   each node sends one NDATA per interval with that interval's changes (100)
              --seconds S        how long NDATA is measured (60)
              --warmup S         seconds of NDATA before that, not measured (10)
              --observe          play no edges: time the births and data of N real edge nodes of the group,
                                 started after this prints 'observing'
              --queries K        timed runs of each 100k query (5)
              --row              end with one markdown table row of the figures (for tools/federation-bench)
            """;

    /** @throws IllegalArgumentException saying which argument is wrong and what it should be */
    static FederationOptions parse(String... args) {
        URI broker = URI.create("tcp://127.0.0.1:1883");
        URI host = URI.create("http://127.0.0.1:8080");
        URI local = null;
        String localLike = "%";
        String group = "plant";
        String prefix = "sites";
        int nodes = 10;
        int metrics = 10_000;
        int rate = 10_000;
        int intervalMs = 100;
        int seconds = 60;
        int warmup = 10;
        boolean observe = false;
        int queries = 5;
        boolean row = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--observe" -> observe = true;
                case "--row" -> row = true;
                case "--broker" -> broker = uri(option, value(args, i++), "tcp");
                case "--host" -> host = uri(option, value(args, i++), "http");
                case "--local" -> local = uri(option, value(args, i++), "http");
                case "--local-like" -> localLike = value(args, i++);
                case "--group" -> group = value(args, i++);
                case "--prefix" -> prefix = value(args, i++);
                case "--nodes" -> nodes = number(option, value(args, i++), 1);
                case "--metrics" -> metrics = number(option, value(args, i++), 1);
                case "--rate" -> rate = number(option, value(args, i++), 1);
                case "--interval-ms" -> intervalMs = number(option, value(args, i++), 1);
                case "--seconds" -> seconds = number(option, value(args, i++), 1);
                case "--warmup" -> warmup = number(option, value(args, i++), 0);
                case "--queries" -> queries = number(option, value(args, i++), 1);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (group.isEmpty() || group.contains("/") || group.contains("+") || group.contains("#")) {
            throw new IllegalArgumentException("--group '" + group + "' is not a Sparkplug group id: give a name"
                    + " without '/', '+' or '#'");
        }
        if (!observe && (long) rate * intervalMs < 1000L * nodes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--rate %d with --interval-ms %d gives %d"
                    + " nodes less than one change per NDATA: raise the rate or the interval", rate, intervalMs, nodes));
        }
        return new FederationOptions(broker, host, local, localLike, group, prefix, nodes, metrics, rate, intervalMs,
                seconds, warmup, observe, queries, row);
    }

    /** @return changes one node sends in one NDATA (the rate spread over the nodes and intervals) */
    int changesPerData() {
        return (int) Math.max(1, Math.min(metrics, (long) rate * intervalMs / 1000 / nodes));
    }

    /** @return the LIKE pattern of every mirrored path of the group */
    String mirroredLike() {
        return prefix + "/" + group + "/%";
    }

    private static String value(String[] args, int i) {
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(args[i] + " needs a value");
        }
        return args[i + 1];
    }

    private static int number(String option, String text, int min) {
        try {
            int n = Integer.parseInt(text);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(option + " '" + text + "' is not a whole number of at least " + min);
    }

    private static URI uri(String option, String text, String scheme) {
        try {
            URI uri = URI.create(text);
            if (uri.getScheme() != null && uri.getScheme().startsWith(scheme) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // said below
        }
        throw new IllegalArgumentException(option + " '" + text + "' is not a " + scheme + "://host:port URL");
    }
}
