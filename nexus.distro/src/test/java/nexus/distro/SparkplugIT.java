package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
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

import nexus.distro.SparkplugHost.Message;
import nexus.registry.TagRegistry;
import nexus.sparkplug.SparkplugService;

/**
 * The node as a Sparkplug B edge node, end to end: a real Eclipse Mosquitto, the node's own MQTT
 * client, and a host application of the test's own built from Eclipse Paho and Eclipse Tahu's
 * reference encoder and decoder (SparkplugHost). The demo plant on an open node (no access control);
 * the edge node is {@code plant/nexus1}, acting as {@code sparkplug-host} with the role operator. The
 * simulator is stopped: the tests move values themselves. docs/federation.md is the specification.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class SparkplugIT extends NexusIT {

    private static final String GROUP = "plant";
    private static final String EDGE = "nexus1";
    private static final String BROKER = "nexus.it.mosquitto";
    /** Read-only, FLOAT32, unit %. */
    private static final String LEVEL = "site1/area1/line1/tank2/level";
    /** Writable, FLOAT32, 0–100 %. */
    private static final String SETPOINT = "site1/area1/line1/tank2/level_sp";

    /** The broker, started outside the framework (Pax Exam's configuration side) before the node starts. */
    private static Mosquitto started;
    /** The same broker inside the framework, where the tests run in another copy of this class. */
    private static Mosquitto broker;
    private static SparkplugHost host;

    @Override
    protected void prepareHome(Path home) throws IOException {
        synchronized (SparkplugIT.class) {
            if (started == null) {
                started = Mosquitto.start(home.getParent().resolve("mosquitto"));
                Mosquitto stop = started;
                Runtime.getRuntime().addShutdownHook(new Thread(stop::close, "it-mosquitto-stop"));
            }
        }
        Files.writeString(home.resolve("etc/nexus.sparkplug.cfg"), "broker.urls = " + started.url() + "\n"
                + "group.id = " + GROUP + "\nedge.node.id = " + EDGE + "\n"
                + "edge.user = sparkplug-host\nedge.roles = operator\n"
                + "edge.publish.interval.ms = 50\nreconnect.min.ms = 1000\nreconnect.max.ms = 2000\n");
    }

    @Override
    protected Map<String, String> frameworkProperties() {
        return Map.of(BROKER, started.folder() + "," + started.port() + "," + started.pid());
    }

    @Before
    public void ready() throws Exception {
        synchronized (SparkplugIT.class) {
            if (broker == null) {
                String[] where = context.getProperty(BROKER).split(",");
                broker = Mosquitto.attach(Path.of(where[0]), Integer.parseInt(where[1]), Long.parseLong(where[2]));
                Mosquitto stop = broker;
                Runtime.getRuntime().addShutdownHook(new Thread(stop::close, "it-mosquitto-stop"));
            }
        }
        Bundle simulator = bundle("nexus.simulator");
        if (simulator.getState() == Bundle.ACTIVE) {
            simulator.stop();
        }
        Await.until("the edge node is born", () -> {
            SparkplugService sparkplug = service(SparkplugService.class);
            return sparkplug != null && sparkplug.status().edge() != null && sparkplug.status().edge().born();
        });
        if (host == null) {
            host = SparkplugHost.connect(broker.url(), GROUP, EDGE);
        }
    }

    /** @return the node's NBIRTH after a rebirth request: the host was not listening at the node's first */
    private Message freshBirth() throws Exception {
        int mark = host.mark();
        host.rebirth();
        return host.await("an NBIRTH answers the rebirth request", mark, m -> m.type().equals("NBIRTH"));
    }

    private Message birth() throws Exception {
        Message birth = host.lastBirth();
        return birth != null ? birth : freshBirth();
    }

    private long alias(String name) throws Exception {
        Metric metric = birth().metric(name);
        assertNotNull(name + " is in the birth", metric);
        return metric.getAlias();
    }

    private long count(String table) {
        String sql = URLEncoder.encode("SELECT count(*) AS n FROM " + table, StandardCharsets.UTF_8);
        JsonNode rows = json("/api/v1/query?sql=" + sql).path("rows");
        assertEquals(rows.toString(), 1, rows.size());
        return rows.path(0).path("n").asLong();
    }

    private JsonNode tag(String path) {
        return json("/api/v1/tags/" + path);
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/tags/" + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return the audit journal's lines, oldest first */
    private List<JsonNode> journal() {
        try (Stream<Path> files = Files.list(home().resolve("data/audit"))) {
            List<JsonNode> lines = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode audited(String name, String result, String requestId) {
        return journal().stream().filter(l -> l.path("name").asText().equals(name) && l.path("result").asText().equals(result)
                && l.path("source").asText().endsWith("request " + requestId)).findFirst().orElse(null);
    }

    /** Sends one write and waits for its answer. */
    private Metric command(Date timestamp, Metric write, String requestId) throws Exception {
        int mark = host.mark();
        host.command(timestamp, List.of(write));
        Message answer = host.await("the NDATA answering request " + requestId, mark,
                m -> m.type().equals("NDATA") && m.answer(requestId) != null);
        assertEquals("one metric per write", 1, answer.payload().getMetrics().size());
        return answer.answer(requestId);
    }

    @Test
    public void a_theBirthCarriesTheNodeControlsAndEveryTag() throws Exception {
        Message birth = freshBirth();
        assertEquals(0, birth.seq());
        List<Metric> metrics = birth.payload().getMetrics();
        assertEquals("bdSeq", metrics.get(0).getName());
        assertEquals(MetricDataType.Int64, metrics.get(0).getDataType());
        assertFalse("bdSeq has no alias", metrics.get(0).hasAlias());
        assertEquals("Node Control/Rebirth", metrics.get(1).getName());
        assertEquals(MetricDataType.Boolean, metrics.get(1).getDataType());
        assertEquals(false, metrics.get(1).getValue());
        assertEquals("_nexus/registry/version", metrics.get(2).getName());
        assertEquals(service(TagRegistry.class).status().version(), ((Number) metrics.get(2).getValue()).longValue());

        List<Metric> tags = metrics.stream().skip(3).filter(m -> !m.getName().startsWith("_nexus/")).toList();
        assertEquals("every tag of the demo plant", count("tags"), tags.size());
        assertEquals("the tags in path order", tags.stream().map(Metric::getName).sorted().toList(),
                tags.stream().map(Metric::getName).toList());
        long maxTagAlias = tags.stream().mapToLong(Metric::getAlias).max().orElseThrow();
        assertEquals(maxTagAlias + 1, (long) metrics.get(1).getAlias());
        assertEquals(maxTagAlias + 2, (long) metrics.get(2).getAlias());
        List<Metric> alarms = metrics.stream().filter(m -> m.getName().startsWith("_nexus/alarms/")).toList();
        assertEquals("every alarm", count("alarms"), alarms.size());
        assertTrue(alarms.get(0).getName().endsWith("/state"));
        assertEquals(MetricDataType.String, alarms.get(0).getDataType());
        assertNotNull(SparkplugHost.property(alarms.get(0), "severity"));
        assertNotNull(SparkplugHost.property(alarms.get(0), "tag"));

        Metric level = birth.metric(LEVEL);
        JsonNode levelOverHttp = tag(LEVEL);
        assertEquals("alias = tag id", levelOverHttp.path("id").asLong(), (long) level.getAlias());
        assertEquals(MetricDataType.Float, level.getDataType());
        assertEquals((float) levelOverHttp.path("value").asDouble(), (Float) level.getValue(), 0f);
        assertEquals("%", SparkplugHost.property(level, "engUnit"));
        assertEquals(false, SparkplugHost.property(level, "writable"));
        assertNull("GOOD: no quality property", SparkplugHost.property(level, "quality"));
        assertNotNull(level.getTimestamp());
        Metric setpoint = birth.metric(SETPOINT);
        assertEquals(true, SparkplugHost.property(setpoint, "writable"));
        assertEquals(0.0, SparkplugHost.property(setpoint, "engLow"));
        assertEquals(100.0, SparkplugHost.property(setpoint, "engHigh"));
    }

    @Test
    public void b_aWriteOverHttpIsPublishedByAliasInTheNextNdata() throws Exception {
        long alias = alias(SETPOINT);
        int mark = host.mark();
        HttpResponse<String> written = put(SETPOINT, "{\"value\": 41.5}");
        assertEquals(written.body(), 200, written.statusCode());
        Message data = host.await("an NDATA carries the set-point's 41.5", mark, m -> m.type().equals("NDATA")
                && m.alias(alias) != null && Float.valueOf(41.5f).equals(m.alias(alias).getValue()));
        assertNull("by alias only", data.alias(alias).getName());
        Message previous = host.previousFromNode(data);
        assertEquals("seq follows the session's previous message", (previous.seq() + 1) % 256, data.seq());
    }

    @Test
    public void c_anNcmdWriteIsDoneAnsweredAndAuditedInTheRequestersName() throws Exception {
        Metric answer = command(new Date(), SparkplugHost.write(SETPOINT, null, MetricDataType.Float, 42.5f, "r-1", "alice"),
                "r-1");
        assertEquals(alias(SETPOINT), (long) answer.getAlias());
        assertEquals("OK", SparkplugHost.property(answer, "result"));
        assertNull(SparkplugHost.property(answer, "reason"));
        assertEquals(42.5f, (Float) answer.getValue(), 0f);
        assertEquals(42.5, tag(SETPOINT).path("value").asDouble(), 0);
        JsonNode record = audited(SETPOINT, "OK", "r-1");
        assertNotNull("the write is audited", record);
        assertEquals("alice via sparkplug-host", record.path("user").asText());
        assertEquals("sparkplug NCMD request r-1", record.path("source").asText());
        assertEquals(42.5, record.path("after").asDouble(), 0);
    }

    @Test
    public void d_anNcmdWriteToAReadOnlyOrUnknownTagIsRefused() throws Exception {
        double before = tag(LEVEL).path("value").asDouble();
        Metric refused = command(new Date(), SparkplugHost.write(null, alias(LEVEL), MetricDataType.Float, 12.0f, "r-2", "alice"),
                "r-2");
        assertEquals(alias(LEVEL), (long) refused.getAlias());
        assertEquals("NOT_WRITABLE", SparkplugHost.property(refused, "result"));
        assertFalse(String.valueOf(SparkplugHost.property(refused, "reason")).isBlank());
        assertEquals("the current value", (float) before, (Float) refused.getValue(), 0f);
        assertEquals("unchanged", before, tag(LEVEL).path("value").asDouble(), 0);

        Metric unknown = command(new Date(), SparkplugHost.write("no/such/tag", null, MetricDataType.Float, 1.0f, "r-3", null),
                "r-3");
        assertEquals("answered with the name it gave", "no/such/tag", unknown.getName());
        assertEquals("TAG_NOT_FOUND", SparkplugHost.property(unknown, "result"));
        assertNotNull("refused before the tag service: audited by the edge node", audited("no/such/tag", "TAG_NOT_FOUND", "r-3"));
    }

    @Test
    public void e_aStaleNcmdIsRefusedAndAudited() throws Exception {
        double before = tag(SETPOINT).path("value").asDouble();
        Date hourAgo = new Date(System.currentTimeMillis() - 3_600_000);
        Metric refused = command(hourAgo, SparkplugHost.write(SETPOINT, null, MetricDataType.Float, 43.5f, "r-4", "alice"), "r-4");
        assertEquals("CONFLICT", SparkplugHost.property(refused, "result"));
        assertFalse(String.valueOf(SparkplugHost.property(refused, "reason")).isBlank());
        assertEquals((float) before, (Float) refused.getValue(), 0f);
        assertEquals("nothing written", before, tag(SETPOINT).path("value").asDouble(), 0);
        JsonNode record = audited(SETPOINT, "CONFLICT", "r-4");
        assertNotNull("the refusal is audited", record);
        assertTrue(record.path("refused").asBoolean());
        assertEquals("alice via sparkplug-host", record.path("user").asText());
    }

    @Test
    public void f_aRebirthRequestIsANewBirthInTheSameSession() throws Exception {
        Message before = birth();
        Message birth = freshBirth();
        assertEquals(0, birth.seq());
        assertEquals("the same session", before.bdSeq(), birth.bdSeq());
        var status = service(SparkplugService.class).status();
        assertEquals(birth.bdSeq(), status.edge().bdSeq());
        assertTrue(status.counts().rebirthRequests() >= 2);
    }

    @Test
    public void g_healthAndTheConsoleTellWhereTheEdgeNodeIs() throws Exception {
        JsonNode component = health().path("components").path("sparkplug");
        assertEquals(component.toString(), "UP", component.path("status").asText());
        String shown = shell("nexus:sparkplug");
        assertTrue(shown, shown.contains(broker.url()));
        assertTrue(shown, shown.contains(GROUP) && shown.contains(EDGE));
    }

    @Test
    public void h_aBrokerRestartIsANewSessionWithTheNextBdSeq() throws Exception {
        long bdSeq = birth().bdSeq();
        int mark = host.mark();
        broker.kill();
        Await.until("/health shows the sparkplug component not UP",
                () -> !health().path("components").path("sparkplug").path("status").asText().equals("UP"));
        JsonNode down = health().path("components").path("sparkplug");
        broker.restart();
        host.reconnect();
        assertEquals(down.toString(), "DOWN", down.path("status").asText());
        Message birth = host.await("the reconnected node's NBIRTH", mark, m -> m.type().equals("NBIRTH"));
        assertEquals("the next session", (bdSeq + 1) % 256, birth.bdSeq());
        assertEquals(0, birth.seq());
        Message first = host.since(mark).stream().filter(m -> m.type().equals("NBIRTH") || m.type().equals("NDATA"))
                .findFirst().orElseThrow();
        assertEquals("no NDATA before the session's NBIRTH", "NBIRTH", first.type());
        Await.until("/health shows sparkplug UP again",
                () -> health().path("components").path("sparkplug").path("status").asText().equals("UP"));
    }

    @Test
    public void z_aStoppedNodePublishesItsDeathAndTheNextStartGoesOn() throws Exception {
        long bdSeq = birth().bdSeq();
        Bundle sparkplug = bundle("nexus.sparkplug");
        int mark = host.mark();
        sparkplug.stop();
        Message death = host.await("the NDEATH of the stopped node", mark, m -> m.type().equals("NDEATH"));
        assertEquals("the bdSeq of the last birth", bdSeq, death.bdSeq());
        assertTrue(Files.exists(home().resolve("data/sparkplug.bdseq")));

        mark = host.mark();
        sparkplug.start();
        Message birth = host.await("the restarted node's NBIRTH", mark, m -> m.type().equals("NBIRTH"));
        assertEquals("one more than the last session's, kept in data/sparkplug.bdseq", (bdSeq + 1) % 256, birth.bdSeq());
        host.close();
    }
}
