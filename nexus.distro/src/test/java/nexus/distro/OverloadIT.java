package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Overload over real HTTP (issue 11, defect 14): a burst of heavy and light queries with tag reads
 * answers 429 with {@code Retry-After} for what admission control refuses, never a 5xx to a light
 * query or a tag read, and counts the refusals in {@code /metrics}; a slowloris connection is closed
 * after the idle timeout. This class runs with a 2 s idle timeout (the launcher's is 30 s) and small
 * admission limits, so that both happen quickly.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OverloadIT extends NexusIT {

    private static final String LEVEL = "site1/area1/line1/tank2/level";
    /** Allowed by the guard; on the demo's 10,000 tags 10^12 rows: it runs until the time limit. */
    private static final String HEAVY = "{\"sql\": \"SELECT count(*) FROM tags a, tags b, tags c\"}";
    private static final String LIGHT = "{\"sql\": \"SELECT id, path FROM tags WHERE path LIKE 'site1/area1/line1/tank2/%'\"}";

    @Override
    protected Map<String, String> frameworkProperties() {
        return Map.of("org.apache.felix.http.timeout", "2000");
    }

    private int port() {
        return Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/query")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void aSlowlorisConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        Await.until("the API answers", () -> status("/api/v1/tags/" + LEVEL) == 200);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 5_000);
            // Well beyond the 2 s idle timeout, well below Felix HTTP's own default of 60 s.
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/tags/site1/ar".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            boolean closed;
            try {
                while (in.read() >= 0) {
                    // whatever the server says before it closes (a 408 or nothing) does not matter
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true; // reset by the server
            }
            assertTrue("the server closed the idle connection", closed);
        }
    }

    @Test
    public void aBurstIsAnsweredWith429ForWhatExceedsTheQueueAndTagReadsKeepFlowing() throws Exception {
        Files.writeString(etc().resolve("nexus.query.cfg"), "timeout = 1000\nslots = 2\nqueue = 2\nqueue.wait = 300\n"
                + "long.after = 200\n");
        Await.until("admission control has 2 slots", () -> {
            HttpResponse<String> metrics = get("/metrics");
            return metrics != null && metrics.body().contains("\nnexus_query_slots 2\n");
        });
        Await.until("the API answers queries", () -> {
            try {
                return post(LIGHT).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });

        ExecutorService clients = Executors.newFixedThreadPool(10);
        try {
            List<Callable<List<HttpResponse<String>>>> work = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                work.add(() -> repeat(6, () -> post(HEAVY)));
            }
            for (int c = 0; c < 6; c++) {
                work.add(() -> repeat(30, () -> post(LIGHT)));
            }
            for (int c = 0; c < 2; c++) {
                work.add(() -> repeat(30, () -> get("/api/v1/tags/" + LEVEL)));
            }
            List<Future<List<HttpResponse<String>>>> done = clients.invokeAll(work, 120, TimeUnit.SECONDS);
            List<HttpResponse<String>> heavy = new ArrayList<>();
            List<HttpResponse<String>> light = new ArrayList<>();
            List<HttpResponse<String>> tags = new ArrayList<>();
            for (int i = 0; i < done.size(); i++) {
                (i < 2 ? heavy : i < 8 ? light : tags).addAll(done.get(i).get());
            }

            for (HttpResponse<String> response : tags) {
                assertEquals("a tag read: " + response.body(), 200, response.statusCode());
            }
            int lightOk = 0;
            List<HttpResponse<String>> refused = new ArrayList<>();
            for (HttpResponse<String> response : light) {
                assertTrue("a light query: " + response.statusCode() + " " + response.body(),
                        response.statusCode() == 200 || response.statusCode() == 429);
                lightOk += response.statusCode() == 200 ? 1 : 0;
                if (response.statusCode() == 429) {
                    refused.add(response);
                }
            }
            assertTrue("light queries were answered while heavy ones ran", lightOk > 0);
            for (HttpResponse<String> response : heavy) {
                assertTrue("a heavy query: " + response.statusCode() + " " + response.body(),
                        response.statusCode() == 429 || response.statusCode() == 504);
                if (response.statusCode() == 429) {
                    refused.add(response);
                }
            }
            assertFalse("some queries were refused", refused.isEmpty());
            for (HttpResponse<String> response : refused) {
                assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
                int retry = Integer.parseInt(response.headers().firstValue("Retry-After").orElse("0"));
                assertTrue("Retry-After " + retry, retry >= 1);
                JsonNode problem = JSON.readTree(response.body());
                assertEquals("OVERLOADED", problem.path("code").asText());
                assertEquals(429, problem.path("status").asInt());
                assertEquals("Too many requests", problem.path("title").asText());
                assertFalse(response.body(), response.body().contains("Exception"));
            }

            String metrics = get("/metrics").body();
            assertEquals(refused.size(), refusals(metrics));
            assertTrue(metrics.contains("# TYPE nexus_query_refused_total counter"));
            assertTrue(metrics.contains("\nnexus_query_running 0\n"));
            assertTrue(metrics.contains("\nnexus_query_waiting 0\n"));
            assertTrue(metrics.contains("nexus_http_requests_total{route=\"/api/v1/query\",method=\"POST\",status=\"429\"}"));
        } finally {
            clients.shutdownNow();
        }
    }

    /** @return the sum of nexus_query_refused_total over its reasons */
    private static long refusals(String metrics) {
        Matcher sample = Pattern.compile("\nnexus_query_refused_total\\{reason=\"[a-z_]+\"} (\\d+)").matcher(metrics);
        long sum = 0;
        while (sample.find()) {
            sum += Long.parseLong(sample.group(1));
        }
        return sum;
    }

    private interface Request {
        HttpResponse<String> send() throws Exception;
    }

    private static List<HttpResponse<String>> repeat(int times, Request request) throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            answers.add(request.send());
        }
        return answers;
    }
}
