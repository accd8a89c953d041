package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.alarm.ActionRequest;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmFlags;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmState;
import nexus.alarm.EventSink;
import nexus.core.AlarmCondition;
import nexus.core.Caller;
import nexus.registry.AlarmDefinition;
import nexus.registry.Registry;
import nexus.registry.TagRegistry;
import nexus.rma.Allocation;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;

/**
 * The alarm manager in the running platform: values written into RMA drive a demo alarm through its
 * lifecycle, with the flag byte in RMA checked at every step; the HTTP routes, the shell, the KPIs,
 * and a restart of the alarm bundle. The simulator is stopped so that only the test moves values.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AlarmIT extends NexusIT {

    private static final int NORMAL = AlarmFlags.VALID | AlarmFlags.ENABLED | AlarmFlags.ACKED;
    private static final int UNACKED = AlarmFlags.VALID | AlarmFlags.ENABLED | AlarmFlags.ACTIVE;
    private static final int ACKED = UNACKED | AlarmFlags.ACKED;

    private AlarmService alarms;
    private RmaBackend rma;
    private Registry registry;

    @Before
    public void ready() throws Exception {
        awaitAlarmsWithoutSimulator();
        alarms = service(AlarmService.class);
        rma = service(RmaBackend.class);
        registry = service(TagRegistry.class).current();
    }

    /** The n-th tank level HI alarm of the demo plant (each test takes its own). */
    private AlarmDefinition levelHi(int n) {
        List<AlarmDefinition> found = registry.alarms().stream()
                .filter(a -> a.condition() == AlarmCondition.HI && a.name().endsWith("/level_hi")).toList();
        return found.get(n);
    }

    private void write(AlarmDefinition alarm, double value) {
        rma.write(registry.tag(alarm.tagId()).orElseThrow().allocation(), value);
    }

    private int flagByte(AlarmDefinition alarm) {
        Allocation flags = alarm.flags();
        BlockRead read = new BlockRead(1).target(flags.bank(), flags.byteOffset(), 1);
        rma.read(read);
        assertTrue(read.ok());
        return read.data()[0] & 0xFF;
    }

    private void awaitState(AlarmDefinition alarm, AlarmState state) {
        Await.until(alarm.name() + " is " + state, () -> alarms.get(Its.ADMIN, alarm.name()).state() == state);
    }

    private void awaitScans(int scans) {
        long start = alarms.summary().scan().scans();
        Await.until(scans + " more scans", () -> alarms.summary().scan().scans() >= start + scans);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void valuesInRmaDriveADemoAlarmThroughItsLifecycleAndItsFlagByteFollows() throws Exception {
        AlarmDefinition alarm = levelHi(0);
        assertEquals("the demo's level alarms trip above 90 and clear at 88", 90.0, alarm.limit(), 0);
        List<AlarmEvent> events = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EventSink.NAME_PROPERTY, "it");
        ServiceRegistration<EventSink> sink = context.registerService(EventSink.class, e -> {
            if (e.alarm().equals(alarm.name())) {
                events.add(e);
            }
        }, properties);
        try {
            write(alarm, 50);
            awaitState(alarm, AlarmState.NORMAL);
            assertEquals(NORMAL, flagByte(alarm));

            write(alarm, 95);
            awaitState(alarm, AlarmState.UNACK_ALARM);
            assertEquals(UNACKED, flagByte(alarm));

            HttpResponse<String> ack = post("/api/v1/alarms/" + alarm.name() + ":ack",
                    "{\"comment\": \"field operator sent\"}");
            assertEquals(ack.body(), 200, ack.statusCode());
            JsonNode acked = JSON.readTree(ack.body());
            assertEquals("ACKED_ALARM", acked.path("state").asText());
            assertEquals("open: the local client is anonymous", "anonymous", acked.path("ackUser").asText());
            assertEquals("the flag byte changes with the action, before the next scan", ACKED, flagByte(alarm));

            write(alarm, 89);
            awaitScans(5);
            assertEquals("inside the deadband: still in alarm", AlarmState.ACKED_ALARM, alarms.get(Its.ADMIN, alarm.name()).state());
            assertEquals(ACKED, flagByte(alarm));

            write(alarm, 87);
            awaitState(alarm, AlarmState.NORMAL);
            assertEquals(NORMAL, flagByte(alarm));

            Await.until("the sink got the three events", () -> events.size() >= 3);
            assertEquals(List.of(AlarmEventType.ACTIVATED, AlarmEventType.ACKNOWLEDGED, AlarmEventType.CLEARED),
                    events.stream().map(AlarmEvent::type).toList());
            AlarmEvent ackEvent = events.get(1);
            assertEquals("anonymous", ackEvent.user());
            assertEquals("field operator sent", ackEvent.comment());
            assertEquals(AlarmEvent.Kind.AUDIT, ackEvent.kind());
            assertNotNull(ackEvent.timeToAck());
            assertNotNull(events.get(2).timeInAlarm());
            assertEquals(events.get(0).sequence() + 2, events.get(2).sequence());
        } finally {
            sink.unregister();
        }
    }

    @Test
    public void badInputOverHttpIsAClearProblemAndChangesNothing() throws Exception {
        AlarmDefinition alarm = levelHi(1);
        write(alarm, 97);
        awaitState(alarm, AlarmState.UNACK_ALARM);
        int flags = flagByte(alarm);
        long sequence = alarms.get(Its.ADMIN, alarm.name()).sequence();
        String base = "/api/v1/alarms/" + alarm.name();

        HttpResponse<String> unknown = post("/api/v1/alarms/site9/none/level_hi:ack", "{}");
        assertEquals(404, unknown.statusCode());
        assertEquals("ALARM_NOT_FOUND", JSON.readTree(unknown.body()).path("code").asText());
        HttpResponse<String> typedUser = post(base + ":ack", "{\"user\": \"mallory\", \"comment\": \"who am I\"}");
        assertEquals("a user typed into the body is refused: the action is the authenticated identity's", 400,
                typedUser.statusCode());
        HttpResponse<String> tooLong = post(base + ":shelve", "{\"minutes\": 481}");
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.body(), tooLong.body().contains("its maximum shelve time is 8 hours"));
        HttpResponse<String> reset = post(base + ":reset", "{}");
        assertEquals(409, reset.statusCode());
        assertEquals("CONFLICT", JSON.readTree(reset.body()).path("code").asText());
        assertTrue(reset.body(), reset.body().contains("is UNACK_ALARM"));
        assertEquals(400, post(base + ":ack", "not json").statusCode());

        assertEquals(flags, flagByte(alarm));
        assertEquals(sequence, alarms.get(Its.ADMIN, alarm.name()).sequence());
        assertEquals(AlarmState.UNACK_ALARM, alarms.get(Its.ADMIN, alarm.name()).state());

        JsonNode one = json(base);
        assertEquals(alarm.name(), one.path("name").asText());
        JsonNode listed = json("/api/v1/alarms?state=UNACK_ALARM&severity=HIGH&prefix=" + alarm.name());
        assertEquals(1, listed.path("alarms").size());
        assertEquals(400, status("/api/v1/alarms?state=RINGING"));
        assertEquals(400, status("/api/v1/alarms?limit=-1"));
        JsonNode two = json("/api/v1/alarms?limit=2");
        assertEquals(2, two.path("alarms").size());
        assertTrue(two.path("truncated").asBoolean());
        assertEquals(registry.alarms().size(), two.path("matched").asInt());
    }

    @Test
    public void theShellListsAndActsOnAlarms() throws Exception {
        AlarmDefinition alarm = levelHi(2);
        write(alarm, 99);
        awaitState(alarm, AlarmState.UNACK_ALARM);

        String list = shell("nexus:alarms UNACK_ALARM " + alarm.name());
        assertTrue(list, list.startsWith("name"));
        assertTrue(list, list.contains(alarm.name()) && list.contains("UNACK_ALARM"));
        assertTrue(list, list.contains("KPIs: in alarm"));

        String shelved = shell("nexus:shelve " + alarm.name() + " 30 \"sensor swap\"");
        assertEquals(alarm.name() + " shelved: now SHELVED\n", shelved);
        assertTrue(shell("nexus:alarm " + alarm.name()).contains("sensor swap"));
        assertEquals(alarm.name() + " unshelved: now ACKED_ALARM\n", shell("nexus:unshelve " + alarm.name()));
        assertEquals(ACKED, flagByte(alarm));

        // The action commands come from AlarmAction: help lists each one's forms.
        assertTrue(shell("nexus:help ack"), shell("nexus:help ack").startsWith("usage: ack <the alarm name>\n"));
        String help = shell("nexus:help");
        for (nexus.alarm.AlarmAction action : nexus.alarm.AlarmAction.values()) {
            assertTrue(action + " in " + help, help.contains("  " + action.command() + " <the alarm name>"));
        }
    }

    @Test
    public void kpisAppearInHealthAndMetrics() {
        AlarmDefinition alarm = levelHi(3);
        write(alarm, 96);
        awaitState(alarm, AlarmState.UNACK_ALARM);

        JsonNode component = health().path("components").path("alarms");
        assertEquals("UP", component.path("status").asText());
        assertTrue(component.path("data").path("unacknowledged").path("HIGH").asInt() >= 1);
        assertTrue(component.path("data").path("activationsLast10m").asInt() >= 1);
        assertTrue(component.path("data").has("flood"));
        String metrics = get("/metrics").body();
        assertTrue(metrics, metrics.contains("nexus_alarms_unacknowledged{severity=\"HIGH\"}"));
        assertTrue(metrics, metrics.contains("nexus_alarm_activations_10m "));
        assertTrue(metrics, metrics.contains("nexus_alarm_flood "));
    }

    @Test
    public void aRestartOfTheAlarmManagerRebuildsStateFromRmaFlagsAndTheSnapshot() throws Exception {
        AlarmDefinition alarm = levelHi(4);
        write(alarm, 98);
        awaitState(alarm, AlarmState.UNACK_ALARM);
        alarms.act(alarm.name(), AlarmAction.ACKNOWLEDGE, ActionRequest.of(Caller.of("night-shift", java.util.Set.of("operator"), "it"), "checked on site"));
        var before = alarms.get(Its.ADMIN, alarm.name());

        Bundle bundle = bundle("nexus.alarm");
        bundle.stop();
        assertTrue("the snapshot was written at stop", java.nio.file.Files.exists(home().resolve("data/alarms.snapshot")));
        assertEquals("the flags stay in RMA meanwhile", ACKED, flagByte(alarm));
        bundle.start();
        Await.until("the alarm manager is back", () -> {
            AlarmService service = service(AlarmService.class);
            try {
                return service != null && service.get(Its.ADMIN, alarm.name()) != null;
            } catch (RuntimeException e) {
                return false;
            }
        });
        alarms = service(AlarmService.class);

        var after = alarms.get(Its.ADMIN, alarm.name());
        assertEquals(AlarmState.ACKED_ALARM, after.state());
        assertEquals(before.activatedAt(), after.activatedAt());
        assertEquals(before.ackedAt(), after.ackedAt());
        assertEquals("night-shift", after.ackUser());
        assertTrue(after.unknown().isEmpty());
        assertEquals(before.sequence(), after.sequence());
        assertNull(health().path("components").path("alarms").path("data").get("snapshotProblem"));
        assertTrue(log(), logLines().noneMatch(line -> line.contains("ERROR") && line.contains("n.a.i.")));
    }
}
