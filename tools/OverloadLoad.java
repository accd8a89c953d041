import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bounded overload run against a node on loopback (docs/benchmarks.md, "Overload"): HEAVY clients
 * send a query that runs until the time limit, over and over, while 4 clients send LIGHT queries
 * and 2 clients read one tag, a fixed number of requests each. Prints, per kind, the answers by
 * status and the latency p50 / p99. The heavy clients stop when the others are done (at most 120 s).
 *
 * <pre>java tools/OverloadLoad.java PORT [HEAVY_CLIENTS=4] [LIGHT_REQUESTS=50] [honour|ignore Retry-After]</pre>
 */
public class OverloadLoad {

    static final String HEAVY = "{\"sql\": \"SELECT count(*) FROM tags a, tags b, tags c\"}";
    static final String LIGHT = "{\"sql\": \"SELECT id, path FROM tags WHERE path LIKE 'site1/area1/line1/tank2/%'\"}";
    static final String TAG = "/api/v1/tags/site1/area1/line1/tank2/level";

    record Answer(int status, long nanos) {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int heavyClients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        boolean honour = args.length <= 3 || !args[3].equals("ignore");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI query = URI.create("http://127.0.0.1:" + port + "/api/v1/query");
        URI tag = URI.create("http://127.0.0.1:" + port + TAG);
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        ExecutorService clients = Executors.newCachedThreadPool();
        List<Future<List<Answer>>> heavy = new ArrayList<>();
        for (int c = 0; c < heavyClients; c++) {
            heavy.add(clients.submit(() -> {
                List<Answer> answers = new ArrayList<>();
                while (!stop.get() && System.nanoTime() < deadline) {
                    HttpResponse<String> response = timed(http, post(query, HEAVY), answers);
                    if (honour && response != null && response.statusCode() == 429) {
                        Thread.sleep(1_000L * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
                    }
                }
                return answers;
            }));
        }
        Thread.sleep(1_000); // the heavy queries hold their connections first, as in the report
        List<Future<List<Answer>>> light = new ArrayList<>();
        List<Future<List<Answer>>> tags = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            light.add(clients.submit(() -> repeat(http, post(query, LIGHT), requests, deadline)));
        }
        for (int c = 0; c < 2; c++) {
            tags.add(clients.submit(() -> repeat(http, HttpRequest.newBuilder(tag).build(), requests * 2, deadline)));
        }
        long t0 = System.nanoTime();
        report("light query", collect(light), t0);
        report("tag GET", collect(tags), t0);
        stop.set(true);
        report("heavy query", collect(heavy), t0);
        clients.shutdownNow();
    }

    static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static HttpResponse<String> timed(HttpClient http, HttpRequest request, List<Answer> answers) {
        long t = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            answers.add(new Answer(response.statusCode(), System.nanoTime() - t));
            return response;
        } catch (Exception e) {
            answers.add(new Answer(-1, System.nanoTime() - t));
            return null;
        }
    }

    static List<Answer> repeat(HttpClient http, HttpRequest request, int times, long deadline) {
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < times && System.nanoTime() < deadline; i++) {
            timed(http, request, answers);
        }
        return answers;
    }

    static List<Answer> collect(List<Future<List<Answer>>> futures) throws Exception {
        List<Answer> all = new ArrayList<>();
        for (Future<List<Answer>> future : futures) {
            all.addAll(future.get());
        }
        return all;
    }

    static void report(String what, List<Answer> answers, long t0) {
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<Long> nanos = new ArrayList<>();
        for (Answer answer : answers) {
            byStatus.merge(answer.status(), 1, Integer::sum);
            nanos.add(answer.nanos());
        }
        Collections.sort(nanos);
        System.out.printf("%-12s %4d answers %s  p50 %.1f ms  p99 %.1f ms  (%.1f s after the start)%n", what, answers.size(),
                byStatus, percentile(nanos, 50) / 1e6, percentile(nanos, 99) / 1e6, (System.nanoTime() - t0) / 1e9);
    }

    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
