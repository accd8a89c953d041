package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.alarm.AlarmService;
import nexus.alarm.AlarmState;
import nexus.core.AlarmCondition;
import nexus.registry.AlarmDefinition;
import nexus.registry.Registry;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;
import nexus.stream.StreamInfo;
import nexus.stream.StreamService;

/**
 * Live streams over real loopback with the JDK's WebSocket client and plain HTTP for Server-Sent
 * Events, against the demo plant on an open node (no tokens: StreamSecurityIT has identities). The
 * node runs with small stream limits (a 64 KiB buffer, a 2 s stall time, a ring of 16 alarm events)
 * so that back-pressure and resume gaps show quickly. Tests move values by writing RMA themselves; the
 * simulator runs only where a flood is wanted. The registry is replaced last.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class StreamIT extends NexusIT {

    private static final String TANK2 = "site1/area1/line1/tank2/";
    private static final String LEVEL = TANK2 + "level";

    private RmaBackend rma;
    private Registry registry;

    @Override
    protected void prepareHome(Path home) throws IOException {
        Files.writeString(home.resolve("etc/nexus.stream.cfg"), "buffer.bytes = 65536\nstall.seconds = 2\n"
                + "alarm.ring.size = 16\nheartbeat.seconds = 1\nsubscriptions.max = 4\nsampling.min.ms = 10\n");
    }

    @Before
    public void ready() throws Exception {
        Await.until("the registry serves a version and the stream service runs", () -> {
            TagRegistry tags = service(TagRegistry.class);
            return tags != null && tags.status().version() > 0 && service(StreamService.class) != null
                    && service(RmaBackend.class) != null;
        });
        rma = service(RmaBackend.class);
        registry = service(TagRegistry.class).current();
    }

    private Ws open(boolean paused) {
        return Ws.open(http, URI.create(uri("/api/v1/stream").toString().replace("http:", "ws:")), null, paused);
    }

    private void write(String path, double value) {
        rma.write(registry.tag(path).orElseThrow().allocation(), value);
    }

    private static JsonNode item(JsonNode message, String path) {
        for (JsonNode item : message.path("items")) {
            if (item.path("path").asText().equals(path)) {
                return item;
            }
        }
        return null;
    }

    /** @return the next data message of the subscription that holds the path */
    private static JsonNode nextWith(Ws ws, String subscription, String path) throws InterruptedException {
        return ws.next(m -> m.path("type").asText().equals("data") && m.path("subscription").asText().equals(subscription)
                && item(m, path) != null);
    }

    private void stopSimulator() throws Exception {
        Bundle simulator = bundle("nexus.simulator");
        if (simulator.getState() == Bundle.ACTIVE) {
            simulator.stop();
        }
    }

    @Test
    public void a_aSlowConsumerIsClosedAndTheOthersGoOn() throws Exception {
        // The simulator moves every tag of the demo plant: a subscription to 10,000 tags is a flood.
        Bundle simulator = bundle("nexus.simulator");
        if (simulator.getState() != Bundle.ACTIVE) {
            simulator.start();
        }
        try (Ws stalled = open(true); Ws reader = open(false)) {
            stalled.send("{\"type\":\"subscribe\",\"id\":\"flood\",\"sql\":\"SELECT id FROM tags LIMIT 10000\",\"samplingMs\":10}");
            reader.send("{\"type\":\"subscribe\",\"id\":\"r\",\"paths\":[\"" + LEVEL + "\"],\"samplingMs\":10}");
            JsonNode first = reader.next();
            assertEquals(first.toString(), "data", first.path("type").asText());
            // The stalled client never reads: TCP fills, then the node's 64 KiB buffer, then 2 s pass.
            Await.until("the stalled client is closed as a slow consumer",
                    () -> get("/metrics").body().contains(
                            "nexus_stream_closed_total{reason=\"slow_consumer\"} 1"));
            // The reader was never held up: it still gets the level's changes.
            long seq = first.path("seq").asLong();
            JsonNode later = nextWith(reader, "s1", LEVEL);
            assertTrue(later.toString(), later.path("seq").asLong() > seq);
            stalled.resume();
            // The node drops the connection; under load the socket may only end when the HTTP server's idle
            // timeout (30 s) aborts the send it could not finish: wait beyond it (a fresh-clone run timed out at 15 s).
            String end = stalled.awaitClose(45);
            assertTrue("dropped (no close frame gets through a full socket) or closed 4008: " + end,
                    end.startsWith("1006") || end.startsWith("4008") || end.startsWith("error"));
        } finally {
            stopSimulator();
        }
    }

    @Test
    public void b_aSubscriptionSendsTheStateThenOnlyChanges() throws Exception {
        stopSimulator();
        write(LEVEL, 40.0);
        try (Ws ws = open(false)) {
            ws.send("{\"type\":\"subscribe\",\"id\":\"r1\",\"paths\":[\"" + LEVEL + "\",\"no/such/tag\"],\"samplingMs\":20}");
            JsonNode snapshot = ws.next();
            assertEquals(snapshot.toString(), "data", snapshot.path("type").asText());
            assertEquals("r1", snapshot.path("id").asText());
            assertEquals("s1", snapshot.path("subscription").asText());
            assertEquals(1, snapshot.path("seq").asLong());
            assertTrue(snapshot.path("snapshot").asBoolean());
            assertEquals(40.0, item(snapshot, LEVEL).path("value").asDouble(), 0);
            assertEquals("GOOD", item(snapshot, LEVEL).path("quality").asText());
            assertEquals("%", item(snapshot, LEVEL).path("unit").asText());
            assertFalse(item(snapshot, LEVEL).path("ts").isNull());
            assertEquals("BAD_NOT_IN_REGISTRY", item(snapshot, "no/such/tag").path("quality").asText());

            write(LEVEL, 41.5);
            JsonNode change = ws.next();
            assertEquals(change.toString(), "data", change.path("type").asText());
            assertEquals("only the tag that changed", 1, change.path("items").size());
            assertEquals(41.5, item(change, LEVEL).path("value").asDouble(), 0);
            assertEquals("no message is skipped", 2, change.path("seq").asLong());

            // Idle: heartbeats (every second here) carry the last number of every subscription.
            JsonNode heartbeat = ws.next(m -> m.path("type").asText().equals("heartbeat"));
            assertEquals(heartbeat.toString(), 2, heartbeat.path("subscriptions").path("s1").asLong());

            // A deadband of 1.0: a move of 0.5 is not sent; a move of 2 is. A plain subscription beside
            // it proves the small move was sampled.
            ws.send("{\"type\":\"subscribe\",\"id\":\"db\",\"paths\":[\"" + LEVEL + "\"],\"samplingMs\":20,\"deadband\":{\"absolute\":1.0}}");
            assertEquals(41.5, item(ws.next(m -> m.path("id").asText().equals("db")), LEVEL).path("value").asDouble(), 0);
            write(LEVEL, 42.0);
            assertEquals(42.0, item(nextWith(ws, "s1", LEVEL), LEVEL).path("value").asDouble(), 0);
            write(LEVEL, 44.0);
            JsonNode beyond = nextWith(ws, "s2", LEVEL);
            assertEquals("the deadbanded subscription skipped 42.0", 44.0, item(beyond, LEVEL).path("value").asDouble(), 0);
            assertEquals(2, beyond.path("seq").asLong());

            ws.send("{\"type\":\"unsubscribe\",\"id\":\"u\",\"subscription\":\"s2\"}");
            JsonNode gone = ws.next(m -> m.path("id").asText().equals("u"));
            assertEquals(gone.toString(), "unsubscribed", gone.path("type").asText());
        }
    }

    @Test
    public void c_aSqlSubscriptionFollowsTheAnswerOfItsQuery() throws Exception {
        stopSimulator();
        int tags = service(nexus.query.QueryService.class).selectTags(Its.ADMIN,
                "SELECT id FROM tags WHERE path LIKE '" + TANK2 + "%'", nexus.query.QueryOptions.DEFAULT).paths().size();
        try (Ws ws = open(false)) {
            ws.send("{\"type\":\"subscribe\",\"id\":1,\"sql\":\"SELECT id FROM tags WHERE path LIKE ?\",\"params\":[\"" + TANK2
                    + "%\"],\"samplingMs\":20}");
            JsonNode snapshot = ws.next();
            assertEquals(snapshot.toString(), 1, snapshot.path("id").asInt());
            assertEquals(tags, snapshot.path("items").size());
            write(LEVEL, 12.25);
            assertEquals(12.25, item(nextWith(ws, "s1", LEVEL), LEVEL).path("value").asDouble(), 0);
        }
    }

    @Test
    public void d_coalescedChangesAreFlaggedOverflow() throws Exception {
        stopSimulator();
        try (Ws ws = open(false)) {
            // At most one data message every 10 s: what the sampler sees in between coalesces.
            ws.send("{\"type\":\"subscribe\",\"id\":\"c\",\"paths\":[\"" + LEVEL + "\"],\"samplingMs\":10,\"maxRate\":0.1}");
            ws.next();
            StreamService streams = service(StreamService.class);
            double value = 0;
            for (int i = 0; i < 10_000; i++) {
                value = 10 + i * 0.001;
                write(LEVEL, value);
                if (i == 4_999) {
                    Await.until("a value was sampled and not sent", () -> queued(streams) > 0);
                }
            }
            Await.until("a later value displaced it", () -> overflows(streams) > 0);
            JsonNode next = nextWith(ws, "s1", LEVEL);
            assertEquals("the last value", value, item(next, LEVEL).path("value").asDouble(), 1e-9);
            assertTrue(next.toString(), item(next, LEVEL).path("overflow").asBoolean());
            assertEquals(2, next.path("seq").asLong());
        }
    }

    private static long queued(StreamService streams) {
        return streams.streams().stream().flatMap(s -> s.subscriptions().stream()).mapToLong(StreamInfo.SubscriptionInfo::queued).sum();
    }

    private static long overflows(StreamService streams) {
        return streams.streams().stream().flatMap(s -> s.subscriptions().stream()).mapToLong(StreamInfo.SubscriptionInfo::overflows).sum();
    }

    @Test
    public void e_badMessagesAreAnsweredAndTheConnectionGoesOn() throws Exception {
        try (Ws ws = open(false)) {
            ws.send("{\"type\":\"subscribe\",\"id\":\"ok\",\"paths\":[\"" + LEVEL + "\"]}");
            assertEquals("data", ws.next().path("type").asText());
            String[][] bad = {
                    { "{not json", "null" },
                    { "{\"type\":\"dance\",\"id\":\"a\"}", "a" },
                    { "{\"type\":\"subscribe\",\"id\":\"b\",\"sql\":\"DELETE FROM tags\"}", "b" },
                    { "{\"type\":\"subscribe\",\"id\":\"c\",\"paths\":[\"a//b\"]}", "c" },
                    { "{\"type\":\"subscribe\",\"id\":\"d\",\"paths\":[\"" + LEVEL + "\"],\"samplingMs\":1}", "d" },
                    { "{\"type\":\"subscribe\",\"id\":\"e\",\"paths\":[\"" + LEVEL + "\"],\"colour\":\"red\"}", "e" },
                    { "{\"type\":\"unsubscribe\",\"id\":\"f\",\"subscription\":\"s99\"}", "f" } };
            for (String[] message : bad) {
                ws.send(message[0]);
                JsonNode error = ws.next();
                assertEquals(message[0] + " → " + error, "error", error.path("type").asText());
                assertEquals(message[0] + " → " + error, message[1], error.path("id").asText("null"));
                assertFalse(error.path("code").asText().isEmpty());
                assertFalse(error.path("message").asText().isEmpty());
            }
            // Beyond subscriptions.max (4 here): refused, the others go on.
            for (int i = 2; i <= 4; i++) {
                ws.send("{\"type\":\"subscribe\",\"id\":\"n" + i + "\",\"paths\":[\"" + LEVEL + "\"]}");
                assertEquals("data", ws.next(m -> m.path("id").asText().startsWith("n")).path("type").asText());
            }
            ws.send("{\"type\":\"subscribe\",\"id\":\"n5\",\"paths\":[\"" + LEVEL + "\"]}");
            JsonNode refused = ws.next(m -> m.path("id").asText().equals("n5"));
            assertEquals(refused.toString(), "error", refused.path("type").asText());
            ws.send("{\"type\":\"ping\",\"id\":\"p\"}");
            assertEquals("pong", ws.next(m -> m.path("id").asText().equals("p")).path("type").asText());

            // A message over 64 KiB ends the connection with 1009.
            ws.send("{\"type\":\"ping\",\"id\":\"" + "x".repeat(70_000) + "\"}");
            assertTrue(ws.awaitClose().startsWith("1009"));
        }
        // A plain GET is told to upgrade.
        HttpResponse<String> plain = get("/api/v1/stream");
        assertEquals(plain.body(), 426, plain.statusCode());
    }

    @Test
    public void f_theAlarmFeedResumesOrSaysWhyItCannot() throws Exception {
        awaitAlarmsWithoutSimulator();
        AlarmService alarms = service(AlarmService.class);
        AlarmDefinition alarm = registry.alarms().stream()
                .filter(a -> a.condition() == AlarmCondition.HI && a.name().endsWith("/level_hi")).toList().get(3);
        String tag = registry.tag(alarm.tagId()).orElseThrow().path();
        write(tag, 50);
        Await.until("normal", () -> alarms.get(Its.ADMIN, alarm.name()).state() == AlarmState.NORMAL);
        String run;
        long seen;
        try (Ws ws = open(false)) {
            ws.send("{\"type\":\"subscribe\",\"id\":\"a\",\"alarms\":{\"prefix\":\"" + alarm.name() + "\"}}");
            JsonNode list = ws.next();
            assertEquals(list.toString(), "alarms", list.path("type").asText());
            assertFalse(list.path("resumed").asBoolean());
            assertEquals(1, list.path("alarms").size());
            assertEquals("NORMAL", list.path("alarms").path(0).path("state").asText());
            run = list.path("run").asText();
            write(tag, 95);
            JsonNode event = ws.next(m -> m.path("type").asText().equals("alarm"));
            assertEquals(event.toString(), "ACTIVATED", event.path("event").path("event").asText());
            assertEquals(run, event.path("run").asText());
            assertTrue(event.path("sequence").asLong() > list.path("sequence").asLong());
            seen = event.path("sequence").asLong();
        }
        // Away: the alarm clears; back with the run and the last sequence: the missed event, nothing else.
        write(tag, 50);
        Await.until("cleared", () -> alarms.get(Its.ADMIN, alarm.name()).state() != AlarmState.UNACK_ALARM);
        try (Ws ws = open(false)) {
            ws.send("{\"type\":\"subscribe\",\"id\":\"b\",\"alarms\":{\"prefix\":\"" + alarm.name() + "\"},\"resume\":{\"run\":\""
                    + run + "\",\"sequence\":" + seen + "}}");
            JsonNode resumed = ws.next();
            assertTrue(resumed.toString(), resumed.path("resumed").asBoolean());
            assertTrue(resumed.path("alarms").isMissingNode() || resumed.path("alarms").isNull());
            JsonNode missed = ws.next(m -> m.path("type").asText().equals("alarm"));
            assertEquals(missed.toString(), "CLEARED", missed.path("event").path("event").asText());
            seen = missed.path("sequence").asLong();
        }
        // Too far behind: more events than the ring (16) keeps.
        for (int i = 0; i < 12; i++) {
            write(tag, 95);
            Await.until("active", () -> alarms.get(Its.ADMIN, alarm.name()).active());
            write(tag, 50);
            Await.until("clear", () -> !alarms.get(Its.ADMIN, alarm.name()).active());
        }
        try (Ws ws = open(false)) {
            ws.send("{\"type\":\"subscribe\",\"id\":\"c\",\"alarms\":{\"prefix\":\"" + alarm.name() + "\"},\"resume\":{\"run\":\""
                    + run + "\",\"sequence\":" + seen + "}}");
            JsonNode gap = ws.next();
            assertFalse(gap.toString(), gap.path("resumed").asBoolean());
            assertFalse(gap.path("gap").asText().isEmpty());
            assertEquals("the current list instead", 1, gap.path("alarms").size());

            ws.send("{\"type\":\"subscribe\",\"id\":\"d\",\"alarms\":{},\"resume\":{\"run\":\"another-run\",\"sequence\":1}}");
            JsonNode restarted = ws.next(m -> m.path("id").asText().equals("d"));
            assertFalse(restarted.path("resumed").asBoolean());
            assertFalse(restarted.path("gap").asText().isEmpty());
        }
    }

    @Test
    public void g_serverSentEventsCarryTheSameMessages() throws Exception {
        stopSimulator();
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(
                uri("/api/v1/stream/sse?path=" + LEVEL + "&samplingMs=20")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            JsonNode snapshot = JSON.readTree(data(it));
            assertEquals(snapshot.toString(), "data", snapshot.path("type").asText());
            assertTrue(snapshot.path("snapshot").asBoolean());
            write(LEVEL, 33.0);
            JsonNode change;
            do {
                change = JSON.readTree(data(it));
            } while (!change.path("type").asText().equals("data"));
            assertEquals(33.0, item(change, LEVEL).path("value").asDouble(), 0);
        }
        HttpResponse<String> refused = get("/api/v1/stream/sse?sql=DELETE+FROM+tags");
        assertEquals(refused.body(), 400, refused.statusCode());
        HttpResponse<String> unknown = get("/api/v1/stream/sse?path=" + LEVEL + "&colour=red");
        assertEquals(unknown.body(), 400, unknown.statusCode());
    }

    /** @return the data of the next event */
    private static String data(Iterator<String> lines) {
        while (true) {
            String line = lines.next();
            if (line.startsWith("data: ")) {
                return line.substring("data: ".length());
            }
        }
    }

    @Test
    public void z_aRegistryVersionChangeIsToldToSqlSubscriptions() throws Exception {
        stopSimulator();
        TagRegistry tags = service(TagRegistry.class);
        long version = tags.status().version();
        try (Ws ws = open(false)) {
            ws.send("{\"type\":\"subscribe\",\"id\":\"v\",\"sql\":\"SELECT id FROM tags WHERE path LIKE 'site1/area1/line1/tank2/%'"
                    + " OR path LIKE 'plant1/line1/%'\",\"samplingMs\":20}");
            JsonNode before = ws.next();
            List<String> paths = new ArrayList<>();
            before.path("items").forEach(i -> paths.add(i.path("path").asText()));
            assertTrue(paths.contains(LEVEL));

            Path next = home().resolve("data/next.db");
            shell("nexus:import " + Path.of("..", "docs", "examples", "plant.json").toAbsolutePath().normalize() + " " + next);
            Files.move(next, Path.of(tags.status().file()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Await.until("the replacement is served", () -> tags.status().version() == version + 1);

            JsonNode told = ws.next(m -> m.path("type").asText().equals("tags"));
            assertEquals(version + 1, told.path("registryVersion").asLong());
            List<String> added = new ArrayList<>();
            told.path("added").forEach(i -> added.add(i.path("path").asText()));
            List<String> removed = new ArrayList<>();
            told.path("removed").forEach(p -> removed.add(p.asText()));
            assertTrue(told.toString(), added.contains("plant1/line1/tt101"));
            assertTrue(told.toString(), removed.contains(LEVEL));
            assertTrue(told.path("seq").asLong() > before.path("seq").asLong());
        }
    }
}
