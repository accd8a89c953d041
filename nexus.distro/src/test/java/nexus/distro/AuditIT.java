package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.Caller;

/**
 * The audit trail in the running platform: the {@link AuditTrail} service journals each record under
 * {@code <home>/data/audit} before it answers, and the Loki sink ships it to a real HTTP server on
 * loopback standing in for Loki, in the {@code kind=audit} stream; records go on being journaled
 * while the sink is stopped, and sequences go on across a restart of the audit bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AuditIT extends NexusIT {

    private LokiStandIn loki;

    @Before
    public void start() throws Exception {
        loki = new LokiStandIn();
        Files.writeString(etc().resolve("nexus.loki.cfg"), "url = http://127.0.0.1:" + loki.port()
                + "\nnode = it\nbatch.wait = 50\nretry.min = 50\nretry.max = 200\n");
        Await.until("the sink ships to the stand-in", () -> health().path("components").path("loki").path("detail")
                .asText().startsWith("shipping to http://127.0.0.1:" + loki.port()));
        Await.until("the audit trail is up", () -> health().path("components").path("audit").path("status").asText()
                .equals("UP"));
    }

    @After
    public void stop() {
        loki.close();
    }

    private AuditTrail trail() {
        Await.until("the audit trail is registered", () -> service(AuditTrail.class) != null);
        return service(AuditTrail.class);
    }

    private static AuditRecord write(String tag, double before, double after) {
        return AuditRecord.done(new Caller("it-operator", null, "it"), AuditRecord.Target.TAG, tag, "write", before, after,
                null);
    }

    private List<JsonNode> shipped(long sequence) {
        return loki.entries(e -> e.path("line").path("record").asText().equals("audit")
                && e.path("line").path("sequence").asLong() == sequence);
    }

    /** @return the journal's lines, oldest first */
    private List<JsonNode> journal() {
        Path dir = home().resolve("data/audit");
        try (Stream<Path> files = Files.list(dir)) {
            List<JsonNode> lines = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().matches("audit-\\d{12}\\.jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode journaled(long sequence) {
        return journal().stream().filter(l -> l.path("seq").asLong() == sequence).findFirst().orElse(null);
    }

    @Test
    public void aRecordIsInTheJournalWhenAppendAnswersAndReachesLokisAuditStream() throws Exception {
        AuditTrail trail = trail();

        AuditRecord first = trail.append(write("it/line1/setpoint", 20.0, 21.5));
        AuditRecord second = trail.append(AuditRecord.done(Caller.of("it-operator", "it"), AuditRecord.Target.ALARM,
                "it/line1/level_hi", "ACKNOWLEDGE", "UNACK_ALARM", "ACKED_ALARM", "seen"));

        assertEquals(first.sequence() + 1, second.sequence());
        JsonNode line = journaled(first.sequence());
        assertTrue("the record is in the journal as append returns", line != null);
        assertEquals("it/line1/setpoint", line.path("name").asText());
        assertEquals(21.5, line.path("after").asDouble(), 0);
        assertEquals("it-operator", line.path("user").asText());
        assertTrue(line.path("crc").asText().matches("[0-9a-f]{8}"));

        Await.until("both records reach Loki", () -> shipped(first.sequence()).size() == 1
                && shipped(second.sequence()).size() == 1);
        JsonNode write = shipped(first.sequence()).get(0);
        assertEquals("audit", write.path("stream").path("kind").asText());
        assertEquals("it", write.path("stream").path("node").asText());
        assertFalse("no severity label on audit records", write.path("stream").has("severity"));
        assertEquals("it/line1/setpoint", write.path("metadata").path("tag").asText());
        assertEquals("write", write.path("line").path("action").asText());
        JsonNode ack = shipped(second.sequence()).get(0);
        assertEquals("it/line1/level_hi", ack.path("metadata").path("alarm").asText());
        assertEquals("seen", ack.path("line").path("detail").asText());

        String metrics = get("/metrics").body();
        assertTrue(metrics, metrics.contains("nexus_audit_records_appended_total "));
        assertTrue(metrics, metrics.contains("nexus_loki_audit_records_sent_total "));
        assertTrue(health().path("components").path("audit").path("detail").asText()
                .startsWith("journal in " + home().resolve("data/audit").toAbsolutePath().normalize()));
    }

    @Test
    public void withoutTheLokiSinkRecordsAreStillJournaledAndAfterARestartOfTheTrailSequencesGoOn() throws Exception {
        Bundle sink = bundle("nexus.loki");
        sink.stop();
        try {
            AuditRecord alone = trail().append(write("it/line2/setpoint", 1.0, 2.0));
            assertEquals("it/line2/setpoint", journaled(alone.sequence()).path("name").asText());

            Bundle audit = bundle("nexus.audit");
            audit.stop();
            Await.until("the trail is gone", () -> service(AuditTrail.class) == null);
            audit.start();
            AuditRecord after = trail().append(write("it/line2/setpoint", 2.0, 3.0));

            assertEquals("sequences go on across a restart", alone.sequence() + 1, after.sequence());
        } finally {
            sink.start();
        }
        Await.until("the sink is back", () -> health().path("components").path("loki").path("detail").asText()
                .startsWith("shipping to"));
        AuditRecord shippedAgain = trail().append(write("it/line2/setpoint", 3.0, 4.0));
        Await.until("records reach Loki again", () -> shipped(shippedAgain.sequence()).size() == 1);
        assertEquals(Bundle.ACTIVE, bundle("nexus.audit").getState());
    }
}
