package nexus.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.AuditRecord;
import nexus.core.AuditSink;
import nexus.core.HealthStatus;
import nexus.core.MetricFamily;
import nexus.core.NexusException;

/** The component through its constructor: configuration, the journal under the home folder, sinks, health, metrics. */
class AuditComponentTest {

    @TempDir
    Path home;

    private AuditComponent component;

    @AfterEach
    void stop() throws InterruptedException {
        if (component != null) {
            component.deactivate();
        }
    }

    @Test
    void unconfiguredTheJournalIsUnderTheHomesDataFolder() throws Exception {
        component = new AuditComponent(home.toString(), Configs.audit(Map.of()));
        List<AuditRecord> received = new ArrayList<>();
        AuditSink sink = received::add;
        component.addSink(sink, Map.of(AuditSink.NAME_PROPERTY, "test"));

        AuditRecord appended = component.append(Records.write(1));

        Path dir = home.resolve("data/audit");
        assertThat(Files.readAllLines(dir.resolve("audit-000000000001.jsonl"))).singleElement()
                .satisfies(line -> assertThat(line).startsWith("{\"v\":1,\"seq\":1,"));
        assertThat(received).containsExactly(appended);
        assertThat(component.name()).isEqualTo("audit");
        assertThat(component.required()).isTrue();
        Await.until("UP", () -> component.health().status() == HealthStatus.UP);
        assertThat(component.health().detail()).isEqualTo("journal in " + dir + ", last sequence 1, 1 appended since start");
        assertThat(component.health().data()).containsEntry("sinks", List.of("test"));
        assertThat(component.metrics()).extracting(MetricFamily::name).containsExactly(
                "nexus_audit_records_appended_total", "nexus_audit_append_failures_total", "nexus_audit_syncs_total",
                "nexus_audit_last_sequence", "nexus_audit_sink_records_dropped_total");
        component.removeSink(sink);
        component.append(Records.write(2));
        assertThat(received).hasSize(1);
    }

    @Test
    void theJournalIsOpenedAtStartBeforeAnyAppend() {
        component = new AuditComponent(home.toString(), Configs.audit(Map.of("dir", "journal")));

        Await.until("opened", () -> component.health().status() == HealthStatus.UP);
        assertThat(home.resolve("journal")).isDirectory();
    }

    @Test
    void theSettingsAreCheckedWithAReasonAndHowToFixIt() {
        assertThatThrownBy(() -> AuditComponent.settings(Configs.audit(Map.of("dir", " ")), "/h"))
                .isInstanceOf(NexusException.class).hasMessage("dir is empty: the audit trail needs a folder (default data/audit)");
        assertThatThrownBy(() -> AuditComponent.settings(Configs.audit(Map.of("file_max_bytes", 100L)), "/h"))
                .hasMessage("file.max.bytes = 100 is too small: use at least 4096");
        assertThatThrownBy(() -> AuditComponent.settings(Configs.audit(Map.of("files_keep", 0)), "/h"))
                .hasMessage("files.keep = 0 is out of range: use 1 to 100000");
        assertThat(AuditComponent.settings(Configs.audit(Map.of()), "/h"))
                .isEqualTo(new JournalSettings(Path.of("/h/data/audit"), 16L * 1024 * 1024, 10));
        assertThat(AuditComponent.settings(Configs.audit(Map.of("dir", "/var/audit")), "/h").dir())
                .isEqualTo(Path.of("/var/audit"));
    }

    @Test
    void aRefusedConfigurationKeepsTheJournalGoingAndSaysWhy() {
        component = new AuditComponent(home.toString(), Configs.audit(Map.of("files_keep", 0)));

        Await.until("opened", () -> component.health().status() != HealthStatus.DOWN);
        assertThat(component.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(component.health().detail()).startsWith("configuration refused: files.keep = 0 is out of range");
        assertThat(component.append(Records.write(1)).sequence()).isEqualTo(1);

        component.modified(Configs.audit(Map.of("dir", "other")));

        assertThat(component.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(component.append(Records.write(2)).sequence()).isEqualTo(2);
        assertThat(home.resolve("other/audit-000000000002.jsonl")).exists();
    }

    @Test
    void aNewFolderThatCannotBeUsedShowsInTheHealthBeforeAnyAppend() throws Exception {
        component = new AuditComponent(home.toString(), Configs.audit(Map.of()));
        Await.until("opened", () -> component.health().status() == HealthStatus.UP);
        Files.writeString(home.resolve("blocked"), "a file where the folder should be");

        component.modified(Configs.audit(Map.of("dir", "blocked")));

        Await.until("DOWN", () -> component.health().status() == HealthStatus.DOWN);
        assertThat(component.health().detail()).contains("blocked is in the way: it is a file, not a folder");
        assertThatThrownBy(() -> component.append(Records.write(1))).isInstanceOf(NexusException.class)
                .hasMessageContaining("nothing was recorded and nothing was done");
    }
}
