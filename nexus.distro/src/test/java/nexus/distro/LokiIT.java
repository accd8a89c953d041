package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.alarm.ActionRequest;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmState;
import nexus.core.AlarmCondition;
import nexus.core.Caller;
import nexus.registry.AlarmDefinition;
import nexus.registry.Registry;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/**
 * The Loki sink in the running platform, against a real HTTP server on loopback standing in for
 * Loki: configured by a file in etc/, alarm events driven through RMA arrive as entries, and the
 * nexus.loki bundle can be stopped while alarms flow (the alarm manager keeps going) and started
 * again (shipping resumes).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LokiIT extends NexusIT {

    private LokiStandIn loki;
    private AlarmService alarms;
    private RmaBackend rma;
    private Registry registry;

    @Before
    public void start() throws Exception {
        loki = new LokiStandIn();
        Files.writeString(etc().resolve("nexus.loki.cfg"), "url = http://127.0.0.1:" + loki.port()
                + "\nnode = it\nbatch.wait = 50\nretry.min = 50\nretry.max = 200\n");
        Await.until("the sink ships to the stand-in", () -> health().path("components").path("loki").path("detail")
                .asText().startsWith("shipping to http://127.0.0.1:" + loki.port()));
        awaitAlarmsWithoutSimulator();
        alarms = service(AlarmService.class);
        rma = service(RmaBackend.class);
        registry = service(TagRegistry.class).current();
    }

    @After
    public void stop() {
        loki.close();
    }

    /** @return the alarm events for the alarm Loki received (its audit records are left out) */
    private List<JsonNode> entriesOf(String alarm) {
        return loki.entries(e -> e.path("metadata").path("alarm").asText().equals(alarm)
                && !e.path("line").path("record").asText().equals("audit"));
    }

    /** @return the audit records of actions on the alarm Loki received */
    private List<JsonNode> auditRecordsOf(String alarm) {
        return loki.entries(e -> e.path("line").path("record").asText().equals("audit")
                && e.path("line").path("name").asText().equals(alarm));
    }

    private AlarmDefinition levelHi(int n) {
        return registry.alarms().stream()
                .filter(a -> a.condition() == AlarmCondition.HI && a.name().endsWith("/level_hi")).toList().get(n);
    }

    private void write(AlarmDefinition alarm, double value) {
        rma.write(registry.tag(alarm.tagId()).orElseThrow().allocation(), value);
    }

    @Test
    public void alarmTransitionsAndAcknowledgementsArriveAsStructuredEntries() throws Exception {
        AlarmDefinition alarm = levelHi(0);
        write(alarm, 50);
        Await.until("NORMAL", () -> alarms.get(Its.ADMIN, alarm.name()).state() == AlarmState.NORMAL);

        write(alarm, 95);
        Await.until("UNACK_ALARM", () -> alarms.get(Its.ADMIN, alarm.name()).state() == AlarmState.UNACK_ALARM);
        alarms.act(alarm.name(), AlarmAction.ACKNOWLEDGE, ActionRequest.of(Caller.of("it-operator", java.util.Set.of("operator"), "it"), "seen"));

        Await.until("two entries for the alarm", () -> entriesOf(alarm.name()).size() == 2);
        JsonNode activated = entriesOf(alarm.name()).get(0);
        assertEquals("rma-nexus", activated.path("stream").path("job").asText());
        assertEquals("it", activated.path("stream").path("node").asText());
        assertEquals("alarm", activated.path("stream").path("kind").asText());
        assertEquals("high", activated.path("stream").path("severity").asText());
        assertEquals("ACTIVATED", activated.path("line").path("event").asText());
        assertEquals(registry.tag(alarm.tagId()).orElseThrow().path(), activated.path("metadata").path("tag").asText());
        JsonNode acked = entriesOf(alarm.name()).get(1);
        assertEquals("audit", acked.path("stream").path("kind").asText());
        assertEquals("it-operator", acked.path("line").path("user").asText());
        assertEquals("seen", acked.path("line").path("comment").asText());
        assertTrue(acked.path("line").path("timeToAckMs").isNumber());
        Await.until("the acknowledgement's audit record", () -> auditRecordsOf(alarm.name()).size() == 1);
        JsonNode audit = auditRecordsOf(alarm.name()).get(0);
        assertEquals("audit", audit.path("stream").path("kind").asText());
        assertEquals("it-operator", audit.path("line").path("user").asText());
        assertEquals("ack", audit.path("line").path("action").asText());
        assertEquals("OK", audit.path("line").path("result").asText());

        String metrics = get("/metrics").body();
        assertTrue(metrics, metrics.contains("nexus_loki_events_sent_total "));
        assertTrue(metrics, metrics.contains("nexus_loki_push_seconds_count "));
        assertTrue(shell("nexus:loki").startsWith("loki  UP  shipping to"));
    }

    @Test
    public void stoppingTheLokiBundleLeavesTheAlarmManagerRunningAndStartingItResumesShipping() throws Exception {
        AlarmDefinition alarm = levelHi(1);
        write(alarm, 50);
        Await.until("NORMAL", () -> alarms.get(Its.ADMIN, alarm.name()).state() == AlarmState.NORMAL);
        Bundle sink = bundle("nexus.loki");

        sink.stop();
        write(alarm, 96);
        Await.until("the alarm manager activates the alarm without the sink",
                () -> alarms.get(Its.ADMIN, alarm.name()).state() == AlarmState.UNACK_ALARM);
        assertEquals("UP", health().path("components").path("alarms").path("status").asText());
        assertTrue(health().path("components").path("loki").isMissingNode());
        assertTrue(entriesOf(alarm.name()).isEmpty());

        sink.start();
        Await.until("the sink is back", () -> health().path("components").path("loki").path("detail").asText()
                .startsWith("shipping to"));
        alarms.act(alarm.name(), AlarmAction.ACKNOWLEDGE,
                ActionRequest.of(Caller.of("it-operator", java.util.Set.of("operator"), "it"), "after the restart of nexus.loki"));

        Await.until("the acknowledgement arrives", () -> entriesOf(alarm.name()).stream()
                .anyMatch(e -> e.path("line").path("event").asText().equals("ACKNOWLEDGED")));
        assertEquals(Bundle.ACTIVE, bundle("nexus.alarm").getState());
    }
}
