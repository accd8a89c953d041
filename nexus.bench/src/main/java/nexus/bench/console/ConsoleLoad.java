package nexus.bench.console;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Measures the web console (issue 17, item 4: "first paint under 1 s on loopback, the tag tree and
 * result tables virtualised, live updates at 10 Hz without the page falling behind") against a
 * running node, in headless Chromium driven by Selenium ({@link ConsoleBrowser}). Prints one line per
 * figure, each with the machine's load average at that moment. Nothing is asserted: the figures go
 * to docs/benchmarks.md.
 * <ol>
 * <li>cold: a new browser per run opens {@code /console/#/overview}; first paint, first contentful
 *     paint (the Performance API's paint entries) and the moment the overview shows its KPIs, each in
 *     ms since navigation, median of {@code --runs};</li>
 * <li>Tags: a click on a folder with tags (the ancestors opened first, untimed) until its rows are
 *     shown, and a search of a line's prefix until its rows are shown; rows in the DOM against rows
 *     the page holds;</li>
 * <li>Query: {@code SELECT id, path FROM tags LIMIT 10000} run until rows are shown; rows in the DOM;</li>
 * <li>live: the search's rows followed (samplingMs 100, maxRate 12 since this run; 10 before) for {@code --seconds}: value cells
 *     repainted per second against the stream's items for those rows, the delay from an item's
 *     arrival to the repaint, data messages per second, frames per second, long tasks.</li>
 * </ol>
 * The folder defaults to the parent of the deepest folder on the path with the most tags (GET
 * /api/v1/browse, descending): a line of the demo plant, whose tags sit in its equipment; the prefix
 * to that folder.
 *
 * <p>Run: {@code java -cp nexus.bench/target/benchmarks.jar nexus.bench.console.ConsoleLoad --url http://127.0.0.1:8080}
 */
public final class ConsoleLoad {

    static final String USAGE = """
            usage: ConsoleLoad --url http://HOST:PORT [--token TOKEN] [--seconds 30] [--runs 5]
                               [--folder PATH] [--prefix PATH/]
              --token    an API token (nexus:token create); omit for a node in open mode
              --seconds  how long live updates are watched
              --runs     cold loads (a new browser each); the median is printed
              --folder   the folder clicked on the Tags page (default: the parent of the deepest folder on
                         the path with most tags: a line of the demo plant)
              --prefix   the prefix searched and followed live (default: the folder + '/')""";

    private static final String QUERY = "SELECT id, path FROM tags LIMIT 10000";

    private final String url;
    private final String token;
    private final PrintStream out;

    private ConsoleLoad(String url, String token, PrintStream out) {
        this.url = url;
        this.token = token;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String url = options.get("url");
        if (url == null) {
            System.err.println("--url is missing\n" + USAGE);
            System.exit(2);
        }
        ConsoleLoad load = new ConsoleLoad(url.replaceAll("/+$", ""), options.get("token"), System.out);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
        String folder = options.containsKey("folder") ? options.get("folder") : parent(load.biggestFolder());
        String prefix = options.getOrDefault("prefix", folder + "/");
        load.out.printf(Locale.ROOT, "console %s folder=%s prefix=%s load=%s%n", url, folder, prefix, loadAverage());
        load.cold(runs);
        load.warm(folder, prefix, seconds);
    }

    /** Cold loads of the overview: a new browser (empty cache) each time. */
    private void cold(int runs) {
        List<double[]> figures = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (ConsoleBrowser browser = ConsoleBrowser.start(token)) {
                browser.driver().get(url + "/console/#/overview");
                Map<String, Object> r = browser.run("cold.js");
                double[] f = {num(r, "fp"), num(r, "fcp"), num(r, "kpis"), num(r, "dcl"), num(r, "load")};
                figures.add(f);
                out.printf(Locale.ROOT, "  cold run %d: first-paint %.0f ms, first-contentful-paint %.0f ms, kpis %.0f ms,"
                        + " DOMContentLoaded %.0f ms, load %.0f ms%n", i + 1, f[0], f[1], f[2], f[3], f[4]);
            }
        }
        String[] names = {"first-paint", "first-contentful-paint", "overview-kpis-shown", "dom-content-loaded", "load"};
        for (int k = 0; k < names.length; k++) {
            final int column = k;
            out.printf(Locale.ROOT, "cold %-24s median %6.0f ms of %d  load=%s%n", names[k],
                    median(figures.stream().mapToDouble(f -> f[column]).toArray()), runs, loadAverage());
        }
    }

    /** Tags, Query and live updates in one browser. */
    private void warm(String folder, String prefix, int seconds) {
        try (ConsoleBrowser browser = ConsoleBrowser.start(token)) {
            browser.driver().get(url + "/console/#/tags");
            String[] parts = folder.split("/");
            for (int i = 1; i < parts.length; i++) {  // open the ancestors, untimed
                String ancestor = String.join("/", Arrays.copyOf(parts, i));
                browser.run("timed.js", "folder", ancestor);
            }
            Map<String, Object> click = browser.run("timed.js", "folder", folder);
            out.printf(Locale.ROOT, "tags folder-click %-28s %6.0f ms  rows in DOM %s, page says \"%s\"  load=%s%n",
                    folder, num(click, "ms"), click.get("drawn"), click.get("said"), loadAverage());
            Map<String, Object> search = browser.run("timed.js", "search", prefix);
            out.printf(Locale.ROOT, "tags search %-33s %6.0f ms  rows in DOM %s, page says \"%s\"  load=%s%n",
                    prefix, num(search, "ms"), search.get("drawn"), search.get("said"), loadAverage());

            sleep(3000); // the subscription's first full answer is not an update
            Map<String, Object> live = browser.run("live.js", seconds);
            double s = num(live, "seconds");
            double rows = num(live, "rows");
            out.printf(Locale.ROOT, "live rows-watched %.0f (of \"%s\") over %.1f s  load=%s%n", rows, search.get("said"), s, loadAverage());
            out.printf(Locale.ROOT, "live stream data-messages/s %.1f, items/s %.0f, items/s for the watched rows %.1f%n",
                    num(live, "data") / s, num(live, "items") / s, num(live, "watchedItems") / s);
            out.printf(Locale.ROOT, "live value-cells repainted/s %.1f (%.2f per watched row per s; items for them %.2f)%n",
                    num(live, "painted") / s, num(live, "painted") / s / rows, num(live, "watchedItems") / s / rows);
            out.printf(Locale.ROOT, "live JSON.parse of the data messages %.1f ms/s (longest %.1f ms): the page parses each once more%n",
                    num(live, "parseMs") / s, num(live, "parseMax"));
            out.printf(Locale.ROOT, "live arrival-to-repaint p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    num(live, "delayP50"), num(live, "delayP99"), num(live, "delayMax"));
            out.printf(Locale.ROOT, "live frames/s %.1f, long tasks %.0f (total %.0f ms, longest %.0f ms)%s  load=%s%n",
                    num(live, "frames") / s, num(live, "longTasks"), num(live, "longTaskMs"), num(live, "longTaskMax"),
                    String.valueOf(live.get("longTaskError")).isEmpty() ? "" : " [" + live.get("longTaskError") + "]", loadAverage());

            browser.driver().get(url + "/console/#/query");
            Map<String, Object> query = browser.run("timed.js", "query", QUERY);
            out.printf(Locale.ROOT, "query %s: %6.0f ms to rows shown, rows in DOM %s, page says \"%s\"  load=%s%n",
                    QUERY, num(query, "ms"), query.get("drawn"), query.get("said"), loadAverage());
        }
    }

    /** The deepest folder on the path that, level by level, holds the most tags. */
    private String biggestFolder() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        String path = "";
        while (true) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/api/v1/browse?limit=1000&prefix="
                    + URLEncoder.encode(path, StandardCharsets.UTF_8)));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /api/v1/browse?prefix=" + path + " answered " + response.statusCode()
                        + ": " + response.body() + " (is --url a node, and --token given if it is not in open mode?)");
            }
            JsonNode best = null;
            for (JsonNode child : json.readTree(response.body()).path("children")) {
                boolean folder = child.path("tags").asLong() > (child.path("tag").asBoolean() ? 1 : 0);
                if (folder && (best == null || child.path("tags").asLong() > best.path("tags").asLong())) {
                    best = child;
                }
            }
            if (best == null) {
                if (path.isEmpty()) throw new IllegalStateException("the node has no folder of tags to open");
                return path;
            }
            path = best.path("path").asText();
        }
    }

    static String parent(String folder) {
        int slash = folder.lastIndexOf('/');
        return slash < 0 ? folder : folder.substring(0, slash);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("cannot read the option " + args[i] + "\n" + USAGE);
                System.exit(2);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static double num(Map<String, Object> result, String key) {
        Object value = result.get(key);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The 1-minute load average (/proc/loadavg): the machine is shared, so each figure carries it. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
