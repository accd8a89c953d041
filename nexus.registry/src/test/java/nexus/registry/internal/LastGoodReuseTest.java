package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.HealthStatus;
import nexus.registry.AllocationIndex;
import nexus.registry.Registry;

/**
 * A restart with the registry file unchanged serves the kept last good copy without copying the file
 * and validating it again; anything that makes that copy or its record doubtful takes the normal path.
 * Whether the last good copy was reused shows on disk: the normal path writes it again, so a time set
 * back before the restart is still there only when it was reused.
 */
class LastGoodReuseTest {

    private static final FileTime LONG_AGO = FileTime.fromMillis(946_684_800_000L);

    @TempDir
    Path dir;

    private final List<Registry> changes = new ArrayList<>();

    private Path plant() {
        Path db = dir.resolve("registry.db");
        assertThat(RegistryAdmin.importList(ImportTest.EXAMPLES.resolve("plant.csv"), db).valid()).isTrue();
        return db;
    }

    private RegistryCopies copies() {
        return new RegistryCopies(dir.resolve("copies"));
    }

    private RegistryService service(Path db) {
        return new RegistryService(db, "data/registry.db", false, 2, 500, 0, copies(), 0, changes::add);
    }

    /** Runs a node on the file once, then sets its last good copy's time back: a rewrite shows. */
    private Path runOnceAndSetBack(Path db) throws Exception {
        RegistryService first = service(db);
        first.poll();
        first.close();
        Path lastGood = copies().lastGoodPath("data/registry.db");
        assertThat(copies().recordPath("data/registry.db")).exists();
        Files.setLastModifiedTime(lastGood, LONG_AGO);
        return lastGood;
    }

    private RegistryService restart(Path db) {
        RegistryService restarted = service(db);
        restarted.poll();
        assertThat(restarted.health().status()).isEqualTo(HealthStatus.UP);
        return restarted;
    }

    @Test
    void anUnchangedFileIsServedFromItsLastGoodCopyWithoutCopyingAndValidatingIt() throws Exception {
        Path db = plant();
        Path lastGood = runOnceAndSetBack(db);

        RegistryService restarted = restart(db);

        assertThat(Files.getLastModifiedTime(lastGood)).as("the last good copy was reused, not written again")
                .isEqualTo(LONG_AGO);
        assertThat(restarted.current().index().size()).isEqualTo(10);
        assertThat(restarted.current().tag("plant1/line1/tt101")).isPresent();
        assertThat(restarted.writesRefused()).isEmpty();
        try (var files = Files.list(dir.resolve("copies"))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("served from a private copy of it")
                    .contains("v1.db");
        }
        restarted.close();
    }

    @Test
    void aReusedCopyOfAThousandTagsIndexesEveryTagAsTheValidatedOneDid() throws Exception {
        Path db = dir.resolve("registry.db");
        DemoPlant.write(db, 1_000);
        RegistryService first = service(db);
        first.poll();
        AllocationIndex validated = first.current().index();
        first.close();

        RegistryService restarted = restart(db);

        AllocationIndex reused = restarted.current().index();
        assertThat(reused.size()).isEqualTo(validated.size());
        for (int i = 0; i < validated.size(); i++) {
            assertThat(reused.id(i)).isEqualTo(validated.id(i));
            assertThat(reused.allocation(i)).isEqualTo(validated.allocation(i));
        }
        restarted.close();
    }

    @Test
    void aChangedFileIsCopiedAndValidatedAndBecomesTheNewLastGoodCopy() throws Exception {
        Path db = plant();
        Path lastGood = runOnceAndSetBack(db);
        try (Connection writer = Sqlite.create(db); Statement statement = writer.createStatement()) {
            statement.executeUpdate("UPDATE tag SET unit = 'kPa' WHERE path = 'plant1/line1/tt101'");
        }

        RegistryService restarted = restart(db);

        assertThat(Files.getLastModifiedTime(lastGood)).isNotEqualTo(LONG_AGO);
        assertThat(restarted.current().tag("plant1/line1/tt101").orElseThrow().unit()).isEqualTo("kPa");
        assertThat(Files.readString(copies().recordPath("data/registry.db")))
                .contains("file " + RegistryCopies.checksum(db));
        restarted.close();
    }

    @Test
    void aDamagedLastGoodCopyIsNotReusedAndTheFileIsServed() throws Exception {
        Path db = plant();
        Path lastGood = runOnceAndSetBack(db);
        try (FileChannel channel = FileChannel.open(lastGood, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] { 0x55, 0x55, 0x55, 0x55 }), channel.size() - 100);
        }
        Files.setLastModifiedTime(lastGood, LONG_AGO);

        RegistryService restarted = restart(db);

        assertThat(Files.getLastModifiedTime(lastGood)).as("copied and validated again").isNotEqualTo(LONG_AGO);
        assertThat(restarted.current().index().size()).isEqualTo(10);
        assertThat(RegistryCopies.checksum(lastGood)).isEqualTo(recorded("copy"));
        restarted.close();
    }

    @Test
    void aWrongRecordedDigestIsNotTrustedAndTheFileIsServed() throws Exception {
        Path db = plant();
        Path lastGood = runOnceAndSetBack(db);
        Path record = copies().recordPath("data/registry.db");
        Files.writeString(record, Files.readString(record).replace("file " + RegistryCopies.checksum(db), "file " + "0".repeat(16)));

        RegistryService restarted = restart(db);

        assertThat(Files.getLastModifiedTime(lastGood)).isNotEqualTo(LONG_AGO);
        assertThat(recorded("file")).isEqualTo(RegistryCopies.checksum(db));
        assertThat(restarted.current().index().size()).isEqualTo(10);
        restarted.close();
    }

    @Test
    void aLastGoodCopyValidatedByOtherChecksOrWithoutARecordIsValidatedAgain() throws Exception {
        Path db = plant();
        Path lastGood = runOnceAndSetBack(db);
        Path record = copies().recordPath("data/registry.db");
        Files.writeString(record, Files.readString(record).replace("rules " + RegistryCopies.RULES, "rules " + "1".repeat(64)));

        restart(db).close();
        assertThat(Files.getLastModifiedTime(lastGood)).isNotEqualTo(LONG_AGO);

        Files.setLastModifiedTime(lastGood, LONG_AGO);
        Files.delete(record);
        restart(db).close();
        assertThat(Files.getLastModifiedTime(lastGood)).isNotEqualTo(LONG_AGO);
        assertThat(record).exists();
    }

    private String recorded(String field) throws Exception {
        return Files.readAllLines(copies().recordPath("data/registry.db")).stream().filter(l -> l.startsWith(field + " "))
                .map(l -> l.substring(field.length() + 1)).findFirst().orElseThrow();
    }
}
