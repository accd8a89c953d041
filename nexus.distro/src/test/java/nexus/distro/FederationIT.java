package nexus.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.distro.SparkplugWatch.Seen;

/**
 * Federation between real RMA Nexus nodes (docs/federation.md): separate node processes started
 * with {@code ./nexus} and the launcher this module built, each with its own home and
 * {@code etc/nexus.sparkplug.cfg}, on a real Eclipse Mosquitto. Two edge nodes of group
 * {@code plant} (demo plants of different sizes) and one host ({@code central}) that mirrors them
 * under {@code sites/plant/<edge>/...}; the test's own MQTT client ({@link SparkplugWatch}) sees the
 * births and deaths and sends a rebirth command.
 * <p>
 * The steps run in order on the same nodes (starting a node costs seconds); each step names what it
 * checks, so a failing step says which part of the federation failed, and the later steps still run.
 * The homes stay in {@code target/federation-it/} after the run: each node's log is
 * {@code <home>/data/log/nexus.log}. edge1 births at once; edge2 names the host as its primary host
 * (it births when the host's STATE says online) and publishes alarm metrics, edge1 does not. The
 * host's own registry is a small list whose alarms watch edge1's mirrored tags
 * ({@code "contributed": true}, docs/registry.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationIT {

    private static final Path HOMES = Path.of("target", "federation-it").toAbsolutePath();
    private static final String GROUP = "plant";
    private static final String HOST_ID = "central";
    /** A writable FLOAT32 set-point (0..100 %) of every demo plant, never moved by the simulator. */
    private static final String SETPOINT = "site1/area1/line1/tank2/level_sp";
    private static final Duration MIRROR_WAIT = Duration.ofSeconds(30);
    private static final int EDGE1_TAGS = 200;
    private static final int EDGE1_CHANGED_TAGS = 150;
    private static final int EDGE2_TAGS = 120;
    /** A host alarm on edge1's mirrored set-point: HI above 50 %. */
    private static final String SETPOINT_HI = "edge1_level_sp_hi";
    /**
     * A host alarm on a tag of edge1's 200-tag demo plant that its 150-tag plant does not have (the
     * plant's second line starts at its 41st equipment): it goes BAD when edge1 comes back smaller.
     */
    private static final String LINE2_HI = "edge1_line2_level_hi";
    private static final String LINE2_LEVEL = "site1/area1/line2/tank2/level";

    private Mosquitto broker;
    private SparkplugWatch watch;
    private NodeProcess host;
    private NodeProcess edge1;
    private NodeProcess edge2;
    /** Each write of the test a new value: 10.5, 12, 13.5, ... (exact in FLOAT32). */
    private double nextValue = 9;

    @BeforeAll
    void startBrokerHostAndFirstEdge() throws IOException {
        NodeProcess.deleteRecursively(HOMES);
        Files.createDirectories(HOMES);
        broker = Mosquitto.start(HOMES.resolve("mosquitto"));
        watch = new SparkplugWatch(broker.url()).connect();

        host = node("host", 200);
        hostRegistry();
        host.configure("nexus.sparkplug", "roles", "host", "broker.urls", broker.url(), "client.id", "nexus-host-"
                + HOST_ID, "host.id", HOST_ID, "host.groups", GROUP, "reconnect.max.ms", "2000");
        edge1 = edge("edge1", EDGE1_TAGS, "edge.alarms", "false", "edge.roles", "operator");
        edge2 = edge("edge2", EDGE2_TAGS, "edge.primary.host", HOST_ID);

        // The host first, so that it hears edge1's first birth (a host that joins later must ask for one: step 8).
        // Only the order is arranged here: step 1 asserts the STATE and the birth, so that the later steps still run.
        host.start();
        within(MIRROR_WAIT, () -> online(watch.state(HOST_ID)));
        edge1.start();
        within(MIRROR_WAIT, () -> !watch.of("NBIRTH", GROUP, "edge1").isEmpty());
    }

    @AfterAll
    void stopAll() {
        for (AutoCloseable closeable : new AutoCloseable[] { edge1, edge2, host, watch, broker }) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.err.println("FederationIT: cannot close " + closeable + ": " + e);
            }
        }
    }

    @Test
    @Order(1)
    void theHostMirrorsTheEdgesTagsWithTheirUnitsAndValues() {
        Await.until("the host publishes its STATE online", MIRROR_WAIT, () -> online(watch.state(HOST_ID)));
        Await.until("edge1 publishes its NBIRTH", MIRROR_WAIT, () -> !watch.of("NBIRTH", GROUP, "edge1").isEmpty());
        int mark = watch.mark();
        watch.connect();
        Await.until("a new subscriber gets the host's STATE, retained", MIRROR_WAIT, () -> {
            Seen state = watch.state(HOST_ID);
            return state.index() >= mark && state.retained() && online(state);
        });
        long own = edge1.count("SELECT count(*) AS n FROM tags");
        assertThat(own).as("edge1's own tags").isGreaterThanOrEqualTo(EDGE1_TAGS);
        awaitHost("the host mirrors edge1's " + own + " tags", () -> mirrored("edge1") == own,
                () -> "host counts " + mirrored("edge1"));

        JsonNode original = edge1.tag(SETPOINT);
        JsonNode mirror = host.tag(mirror("edge1", SETPOINT));
        assertThat(mirror).as("GET /api/v1/tags/" + mirror("edge1", SETPOINT) + " on the host").isNotNull();
        assertThat(mirror.path("unit").asText()).as("the edge's unit").isEqualTo(original.path("unit").asText())
                .isEqualTo("%");
        assertThat(mirror.path("properties").path("sparkplug_group").asText()).isEqualTo(GROUP);
        assertThat(mirror.path("properties").path("sparkplug_edge").asText()).isEqualTo("edge1");
        assertThat(mirror.path("writable").asBoolean(false)).as("a writable tag of the edge is writable on the host")
                .isTrue();

        double written = writeOnEdge(edge1);
        awaitMirroredValue("edge1", written);

        // A write on the host goes to the edge as an NCMD and is answered by it (edge.roles = operator).
        double remote = written + 1;
        var answered = host.send("PUT", "/api/v1/tags/" + mirror("edge1", SETPOINT), "{\"value\": " + remote + "}");
        assertThat(answered.statusCode()).as("a write to a mirrored tag on the host: " + answered.body()).isEqualTo(200);
        assertThat(edge1.tag(SETPOINT).path("value").asDouble()).as("the edge's value after the host's write")
                .isEqualTo(remote);
        awaitMirroredValue("edge1", remote);
        nextValue = remote;

        // Last, as the others do not depend on it: the mirror holds the edge's tags, and no more.
        Set<String> tags = edge1.query("SELECT path FROM tags").path("rows").findValuesAsText("path").stream()
                .map(path -> mirror("edge1", path)).collect(Collectors.toSet());
        Set<String> mirrors = new TreeSet<>(host.query("SELECT path FROM tags WHERE path LIKE 'sites/plant/edge1/%'")
                .path("rows").findValuesAsText("path"));
        assertThat(tags.stream().filter(path -> !mirrors.contains(path)).toList()).as("edge1's tags not mirrored")
                .isEmpty();
        // Beside its tags, an RMA Nexus edge publishes metrics of its own under _nexus/ (its registry
        // version, its alarm states: docs/federation.md): a host mirrors every metric of a birth alike.
        assertThat(mirrors.stream().filter(path -> !tags.contains(path)).toList())
                .as("tags mirrored from edge1's birth that are no tags of edge1").containsExactly(
                        mirror("edge1", "_nexus/registry/version"));
    }

    @Test
    @Order(2)
    void explainOnTheHostNamesTheMirrorBankAndItsSource() {
        awaitHost("the host mirrors edge1", () -> mirrored("edge1") > 0, () -> "host counts " + mirrored("edge1"));
        long tags = host.count("SELECT count(*) AS n FROM tags WHERE path LIKE 'sites/plant/edge1/%'");
        JsonNode plan = host.post("/api/v1/explain",
                "{\"sql\": \"SELECT id FROM tags WHERE path LIKE 'sites/plant/edge1/%'\"}");
        assertThat(plan.path("tags").asLong()).as("explain " + plan).isEqualTo(tags);
        List<JsonNode> banks = List.copyOf(plan.path("banks").findParents("name"));
        assertThat(banks).as("explain " + plan).isNotEmpty()
                .allSatisfy(bank -> assertThat(bank.path("name").asText()).startsWith("sp-"));
        assertThat(banks).as("explain " + plan)
                .allSatisfy(bank -> assertThat(bank.path("source").asText()).isEqualTo("sparkplug " + GROUP + "/edge1"));
    }

    @Test
    @Order(3)
    void aKilledEdgeGoesStaleOnTheHostAndGoodAgainAfterItsRestart() {
        double kept = writeOnEdge(edge1);
        awaitMirroredValue("edge1", kept);
        long bdSeq = watch.of("NBIRTH", GROUP, "edge1").get(watch.of("NBIRTH", GROUP, "edge1").size() - 1).bdSeq();
        int mark = watch.mark();

        edge1.kill();
        Await.until("the broker publishes edge1's will (NDEATH, bdSeq " + bdSeq + ")", MIRROR_WAIT,
                () -> watch.last("NDEATH", GROUP, "edge1", mark) != null);
        assertThat(watch.last("NDEATH", GROUP, "edge1", mark).bdSeq()).as("the will's bdSeq").isEqualTo(bdSeq);
        awaitHost("edge1's mirrored set-point reads STALE with its last value " + kept,
                () -> quality("edge1").equals("STALE"), () -> "host reads " + host.tag(mirror("edge1", SETPOINT)));
        assertThat(host.tag(mirror("edge1", SETPOINT)).path("value").asDouble()).as("the value is kept").isEqualTo(kept);

        edge1.start();
        Await.until("edge1 births again", MIRROR_WAIT, () -> watch.last("NBIRTH", GROUP, "edge1", mark) != null);
        assertThat(watch.last("NBIRTH", GROUP, "edge1", mark).bdSeq()).as("the next bdSeq, from data/sparkplug.bdseq")
                .isEqualTo((bdSeq + 1) % 256);
        awaitHost("edge1's mirrored set-point reads GOOD again", () -> quality("edge1").equals("GOOD"),
                () -> "host reads " + host.tag(mirror("edge1", SETPOINT)));
        awaitMirroredValue("edge1", writeOnEdge(edge1));
    }

    @Test
    @Order(4)
    void aHostAlarmOnAMirroredTagFollowsTheEdgesValue() {
        ensureRunning(edge1);
        awaitMirroredValue("edge1", writeOnEdge(edge1));
        awaitHost("the host's alarm " + LINE2_HI + " on a mirrored tag reads GOOD",
                () -> alarmQuality(LINE2_HI).equals("GOOD"), () -> "host lists " + hostAlarm(LINE2_HI));
        assertThat(hostAlarm(SETPOINT_HI).path("state").asText()).as(SETPOINT_HI + " " + hostAlarm(SETPOINT_HI))
                .isEqualTo("NORMAL");

        double high = 60;
        edge1.put("/api/v1/tags/" + SETPOINT, "{\"value\": " + high + "}");
        awaitHost(SETPOINT_HI + " activates on the host from edge1's value " + high,
                () -> hostAlarm(SETPOINT_HI).path("state").asText().equals("UNACK_ALARM"),
                () -> "host lists " + hostAlarm(SETPOINT_HI));
        JsonNode active = hostAlarm(SETPOINT_HI);
        assertThat(active.path("quality").asText()).isEqualTo("GOOD");
        assertThat(active.path("value").asDouble()).isEqualTo(high);
        host.post("/api/v1/alarms/" + SETPOINT_HI + ":ack", "{\"comment\": \"seen on the host\"}");
        assertThat(hostAlarm(SETPOINT_HI).path("state").asText()).isEqualTo("ACKED_ALARM");

        awaitMirroredValue("edge1", writeOnEdge(edge1));
        awaitHost(SETPOINT_HI + " clears on the host when edge1's value falls back", () -> hostAlarm(SETPOINT_HI)
                .path("state").asText().equals("NORMAL"), () -> "host lists " + hostAlarm(SETPOINT_HI));
    }

    @Test
    @Order(5)
    void anEdgeRestartedWithAChangedRegistryChangesTheHostsMirror() {
        ensureRunning(edge1);
        long before = edge1.count("SELECT count(*) AS n FROM tags");
        awaitHost("the host mirrors edge1's " + before + " tags", () -> mirrored("edge1") == before,
                () -> "host counts " + mirrored("edge1"));
        long version = hostRegistryVersion();

        edge1.stop();
        edge1.registryCommand("demo", edge1.home().resolve("data/registry.db").toString(),
                String.valueOf(EDGE1_CHANGED_TAGS));
        edge1.start();
        Await.until("edge1 serves its changed registry", MIRROR_WAIT, () -> {
            long now = edge1.countWhenAnswered("SELECT count(*) AS n FROM tags");
            return now >= 0 && now != before;
        });
        long after = edge1.count("SELECT count(*) AS n FROM tags");
        assertThat(after).isLessThan(before);

        awaitHost("the host's mirror of edge1 follows from " + before + " to " + after + " tags",
                () -> mirrored("edge1") == after, () -> "host counts " + mirrored("edge1"));
        assertThat(hostRegistryVersion()).as("the host's registry version").isGreaterThan(version);
        awaitHost("edge1's mirrored set-point reads GOOD", () -> quality("edge1").equals("GOOD"),
                () -> "host reads " + host.tag(mirror("edge1", SETPOINT)));

        // The host's alarm on a tag that left edge1's birth goes BAD; the version that dropped the tag is served.
        assertThat(host.tag(mirror("edge1", LINE2_LEVEL))).as("the vanished tag on the host").isNull();
        awaitHost(LINE2_HI + " goes BAD on the host", () -> alarmQuality(LINE2_HI).equals("BAD_NOT_IN_REGISTRY"),
                () -> "host lists " + hostAlarm(LINE2_HI));
        assertThat(hostAlarm(LINE2_HI).path("qualityDetail").asText()).startsWith("tag " + mirror("edge1", LINE2_LEVEL)
                + " is not in registry version ");
        assertThat(alarmQuality(SETPOINT_HI)).as("the alarm whose tag stayed").isEqualTo("GOOD");
    }

    @Test
    @Order(6)
    void anIdenticalRebirthLeavesTheHostsRegistryVersion() {
        ensureRunning(edge1);
        long own = edge1.count("SELECT count(*) AS n FROM tags");
        awaitHost("the host mirrors edge1's " + own + " tags", () -> mirrored("edge1") == own,
                () -> "host counts " + mirrored("edge1"));
        awaitMirroredValue("edge1", writeOnEdge(edge1));
        long version = hostRegistryVersion();
        Seen session = lastBirth("edge1");
        int mark = watch.mark();

        watch.requestRebirth(GROUP, "edge1");
        Await.until("edge1 answers the NCMD rebirth with an NBIRTH", MIRROR_WAIT,
                () -> watch.last("NBIRTH", GROUP, "edge1", mark) != null);
        assertThat(watch.last("NBIRTH", GROUP, "edge1", mark).bdSeq()).as("same session").isEqualTo(session.bdSeq());
        // A value written after the rebirth reaches the host only after the host took the birth (one stream per node).
        awaitMirroredValue("edge1", writeOnEdge(edge1));

        assertThat(hostRegistryVersion()).as("the host's registry version after an identical rebirth").isEqualTo(version);
        assertThat(mirrored("edge1")).isEqualTo(own);
    }

    @Test
    @Order(7)
    void aSecondEdgeIsMirroredBesideTheFirst() {
        ensureRunning(edge1);
        ensureRunning(edge2);
        long own1 = edge1.count("SELECT count(*) AS n FROM tags");
        long own2 = edge2.count("SELECT count(*) AS n FROM tags");
        awaitHost("the host mirrors edge2's " + own2 + " tags", () -> mirrored("edge2") == own2,
                () -> "host counts " + mirrored("edge2") + " (edge2 publishes alarm metrics too)");
        assertThat(host.count("SELECT count(*) AS n FROM tags WHERE path LIKE 'sites/plant/%' AND path NOT LIKE"
                + " 'sites/plant/%/\\_nexus/%' ESCAPE '\\'")).as("both edges, in one SQL").isEqualTo(own1 + own2);
        assertThat(host.count("SELECT count(*) AS n FROM tag_properties WHERE key = 'sparkplug_edge' AND value = 'edge2'"
                + " AND path NOT LIKE 'sites/plant/edge2/\\_nexus/%' ESCAPE '\\'")).isEqualTo(own2);
        awaitMirroredValue("edge2", writeOnEdge(edge2));
    }

    @Test
    @Order(8)
    void whileTheBrokerIsDownTheMirrorsAreStaleAndAfterItsRestartGoodAgain() {
        ensureRunning(edge1);
        ensureRunning(edge2);
        awaitMirroredValue("edge1", writeOnEdge(edge1));
        awaitMirroredValue("edge2", writeOnEdge(edge2));
        int mark = watch.mark();
        broker.kill();
        awaitHost("every mirror reads STALE while the host has no broker",
                () -> quality("edge1").equals("STALE") && quality("edge2").equals("STALE"),
                () -> "host reads edge1 " + quality("edge1") + ", edge2 " + quality("edge2"));
        broker.restart();
        // The test's client may connect after an edge's first retry and miss its birth, so the births are
        // proven on the host: a STALE mirror is GOOD again only from a birth of the node's new session.
        watch.connect();
        Await.until("the host says online again (retained)", MIRROR_WAIT, () -> {
            Seen state = watch.state(HOST_ID);
            return state != null && state.index() >= mark && online(state);
        });
        double one = writeOnEdge(edge1);
        double two = writeOnEdge(edge2);
        awaitMirroredValue("edge1", one);
        awaitMirroredValue("edge2", two);
    }

    @Test
    @Order(9)
    void aRestartedHostGetsItsMirrorsBack() {
        ensureRunning(edge1);
        ensureRunning(edge2);
        int mark = watch.mark();
        host.stop();
        host.start();
        for (NodeProcess edge : List.of(edge1, edge2)) {
            long own = edge.count("SELECT count(*) AS n FROM tags");
            awaitHost("the restarted host mirrors " + edge.name() + "'s " + own + " tags again, GOOD",
                    () -> mirrored(edge.name()) == own && quality(edge.name()).equals("GOOD"),
                    () -> "host counts " + mirrored(edge.name()) + ", reads " + host.tag(mirror(edge.name(), SETPOINT)));
            awaitMirroredValue(edge.name(), writeOnEdge(edge));
        }
        assertThat(watch.seen().stream().filter(s -> s.index() >= mark && s.type().equals("STATE")
                && HOST_ID.equals(s.node())).map(Seen::text).toList())
                .as("the host's STATEs around its restart").anyMatch(text -> text.contains("\"online\":false"));
    }

    @Test
    @Order(10)
    void aGapInAnEdgesSequenceMakesTheHostAskForARebirth() {
        ensureRunning(host);
        ensureRunning(edge1);
        awaitMirroredValue("edge1", writeOnEdge(edge1));
        Seen session = lastBirth("edge1");
        Seen last = watch.of("NDATA", GROUP, "edge1").stream().reduce((a, b) -> b).orElse(session);
        int mark = watch.mark();

        // Far from the next seq the edge itself sends: the host has lost messages of edge1.
        watch.publishData(GROUP, "edge1", (last.seq() + 100) % 256);
        Await.until("the host sends edge1 an NCMD Node Control/Rebirth", MIRROR_WAIT, () -> watch.of("NCMD", GROUP,
                "edge1").stream().anyMatch(c -> c.index() >= mark && c.text().contains("Node Control/Rebirth")));
        Await.until("edge1 births again", MIRROR_WAIT, () -> watch.last("NBIRTH", GROUP, "edge1", mark) != null);
        assertThat(watch.last("NBIRTH", GROUP, "edge1", mark).bdSeq()).as("same session").isEqualTo(session.bdSeq());
        awaitMirroredValue("edge1", writeOnEdge(edge1));
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * The host's registry: one tag of its own and alarms on two of edge1's tags as the host mirrors
     * them, written before its first start (a demo plant is generated only when there is no file).
     */
    private void hostRegistry() throws IOException {
        Path list = HOMES.resolve("host-registry.json");
        Files.writeString(list, """
                {"banks": [{"name": "process", "size": 65536}, {"name": "alarms", "size": 8192}],
                 "tags": [{"path": "central/ready", "type": "BOOL", "bank": "process"}],
                 "alarms": [
                   {"name": "%s", "tag": "%s", "contributed": true, "condition": "HI", "limit": 50,
                    "deadband": 1, "severity": "HIGH", "message": "edge1 level set-point high"},
                   {"name": "%s", "tag": "%s", "contributed": true, "condition": "HI", "limit": 1000,
                    "severity": "LOW"}
                 ]}
                """.formatted(SETPOINT_HI, mirror("edge1", SETPOINT), LINE2_HI, mirror("edge1", LINE2_LEVEL)));
        Files.createDirectories(host.home().resolve("data"));
        host.registryCommand("import", list.toString(), host.home().resolve("data/registry.db").toString());
    }

    private NodeProcess node(String name, int demoTags) {
        NodeProcess node = NodeProcess.withNewHome(name, HOMES.resolve(name));
        node.configure("nexus.registry", "demo.tags", String.valueOf(demoTags));
        return node;
    }

    private NodeProcess edge(String name, int demoTags, String... more) {
        NodeProcess node = node(name, demoTags);
        node.configure("nexus.sparkplug", "broker.urls", broker.url(), "group.id", GROUP, "edge.node.id", name,
                "reconnect.max.ms", "2000");
        if (more.length > 0) {
            node.configure("nexus.sparkplug", more);
        }
        return node;
    }

    private static void ensureRunning(NodeProcess node) {
        if (!node.alive()) {
            node.start();
        }
    }

    private static String mirror(String edge, String path) {
        return "sites/" + GROUP + "/" + edge + "/" + path;
    }

    /**
     * @return the edge's tags mirrored on the host: the metrics under its prefix but the edge node's
     *         own ({@code _nexus/registry/version}, alarm states), which step 1 checks on their own
     */
    private long mirrored(String edge) {
        return host.countWhenAnswered("SELECT count(*) AS n FROM tags WHERE path LIKE 'sites/plant/" + edge + "/%'"
                + " AND path NOT LIKE 'sites/plant/" + edge + "/\\_nexus/%' ESCAPE '\\'");
    }

    private long hostRegistryVersion() {
        return host.query("SELECT count(*) AS n FROM tags").path("registryVersion").asLong(-1);
    }

    /** @return the host's alarm as GET /api/v1/alarms/{name} answers it */
    private JsonNode hostAlarm(String name) {
        return host.get("/api/v1/alarms/" + name);
    }

    private String alarmQuality(String name) {
        return hostAlarm(name).path("quality").asText();
    }

    /** @return the quality of the edge's set-point on the host, or "absent" */
    private String quality(String edge) {
        JsonNode tag = host.tag(mirror(edge, SETPOINT));
        return tag == null ? "absent" : tag.path("quality").asText();
    }

    private Seen lastBirth(String edge) {
        List<Seen> births = watch.of("NBIRTH", GROUP, edge);
        assertThat(births).as(edge + "'s births").isNotEmpty();
        return births.get(births.size() - 1);
    }

    /** Writes the next test value to the edge's set-point over its HTTP API; @return the value */
    private double writeOnEdge(NodeProcess edge) {
        nextValue += 1.5;
        JsonNode written = edge.put("/api/v1/tags/" + SETPOINT, "{\"value\": " + nextValue + "}");
        assertThat(written.path("value").asDouble()).isEqualTo(nextValue);
        return nextValue;
    }

    private void awaitMirroredValue(String edge, double value) {
        awaitHost(edge + "'s set-point " + value + " reads GOOD on the host", () -> {
            JsonNode tag = host.tag(mirror(edge, SETPOINT));
            return tag != null && tag.path("quality").asText().equals("GOOD") && tag.path("value").asDouble() == value;
        }, () -> "host reads " + host.tag(mirror(edge, SETPOINT)));
    }

    /** Waits for a condition on the host; on timeout the failure says what was last seen and what the host logged. */
    private void awaitHost(String what, BooleanSupplier condition, Supplier<String> observed) {
        try {
            Await.until(what, MIRROR_WAIT, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last: " + observed.get() + " (last query problem: "
                    + host.lastProblem() + "); host log " + host.home()
                    + "/data/log/nexus.log, WARN/ERROR:\n" + host.logProblems(), e);
        }
    }

    /** @return whether the condition held within the time (polled like {@link Await}); for ordering starts, not for asserting */
    private static boolean within(Duration timeout, BooleanSupplier condition) {
        try {
            Await.until("ordering", timeout, condition);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    private static boolean online(Seen state) {
        return state != null && state.text().replace(" ", "").contains("\"online\":true");
    }
}
