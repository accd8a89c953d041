package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.HealthStatus;
import nexus.core.NexusException;
import nexus.registry.Registry;

class RegistryServiceTest {

    @TempDir
    Path dir;

    private final List<Registry> changes = new ArrayList<>();

    private RegistryService service(Path file, boolean frozen, int demoTags) {
        return service(file, frozen, demoTags, 0);
    }

    private RegistryService service(Path file, boolean frozen, int demoTags, long versionsBefore) {
        return new RegistryService(file, frozen, 2, 500, demoTags, new RegistryCopies(dir.resolve("copies")), versionsBefore,
                changes::add);
    }

    /** Edits the user's file in place, as {@code sqlite3 registry.db "UPDATE …"} would. */
    private static void editInPlace(Path db, String sql) throws Exception {
        try (Connection writer = Sqlite.create(db); Statement statement = writer.createStatement()) {
            statement.executeUpdate(sql);
        }
        // An edit within the file system's time resolution of the last poll changes nothing the
        // poll can see; real edits are seconds apart, a test's are not.
        Files.setLastModifiedTime(db, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(db).toMillis() + 2_000));
    }

    private static String single(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    private Path plant(String list) {
        Path db = dir.resolve("registry.db");
        assertThat(RegistryAdmin.importList(ImportTest.EXAMPLES.resolve(list), db).valid()).isTrue();
        return db;
    }

    /** Builds a registry elsewhere and moves it over the served file, as an operator would. */
    private void replace(Path db, String list) throws IOException {
        Path next = dir.resolve("next.db");
        assertThat(RegistryAdmin.importList(ImportTest.EXAMPLES.resolve(list), next).valid()).isTrue();
        Files.move(next, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static long count(Connection db) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery("SELECT count(*) FROM tags")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void servesTheFileAsVersionOne() {
        RegistryService service = service(plant("plant.csv"), false, 0);

        service.poll();

        assertThat(service.current().version()).isEqualTo(1);
        assertThat(service.status().tags()).isEqualTo(10);
        assertThat(service.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(service.health().detail()).startsWith("version 1: 10 tags, 0 alarms from ");
        assertThat(changes).hasSize(1);
        service.poll();
        assertThat(changes).as("nothing new").hasSize(1);
        service.close();
    }

    @Test
    void aReplacementIsSwappedInWhileQueriesInFlightFinishOnTheOldOne() throws Exception {
        Path db = plant("plant.csv");
        RegistryService service = service(db, false, 0);
        service.poll();
        Registry first = service.current();
        CopyReader inFlight = new CopyReader(first);

        replace(db, "plant.json");
        service.poll();

        Registry second = service.current();
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.index().size()).isEqualTo(6);
        assertThat(inFlight.lease.retired()).isTrue();
        assertThat(count(inFlight.db)).as("the old version still reads the old file").isEqualTo(10);
        try (CopyReader fresh = new CopyReader(second)) {
            assertThat(fresh.lease.retired()).isFalse();
            assertThat(count(fresh.db)).isEqualTo(6);
        }
        inFlight.close();
        assertThatThrownBy(first::leaseCopy).isInstanceOf(NexusException.class).hasMessage("this registry version has"
                + " been replaced: ask again")
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
        assertThat(changes).extracting(Registry::version).containsExactly(1L, 2L);
        service.close();
    }

    @Test
    void anInvalidReplacementKeepsTheOldVersionServingAndSaysWhy() throws IOException {
        Path db = plant("plant.csv");
        RegistryService service = service(db, false, 0);
        service.poll();
        Path garbage = dir.resolve("garbage.db");
        Files.writeString(garbage, "not a registry".repeat(200));
        Files.move(garbage, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        service.poll();
        service.poll();

        assertThat(service.current().version()).isEqualTo(1);
        assertThat(service.status().problem()).startsWith("the file on disk is invalid (it is not an SQLite database")
                .endsWith("still serving version 1 from its private copy");
        assertThat(service.status().lastValidation().valid()).isFalse();
        assertThat(service.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(changes).hasSize(1);

        replace(db, "plant.json");
        service.poll();
        assertThat(service.current().version()).isEqualTo(2);
        assertThat(service.status().problem()).isNull();
        service.close();
    }

    @Test
    void aFrozenRegistryReportsChangesAndNeverLoadsThem() throws IOException {
        Path db = plant("plant.csv");
        RegistryService service = service(db, true, 0);
        service.poll();

        replace(db, "plant.json");
        service.poll();

        assertThat(service.current().version()).isEqualTo(1);
        assertThat(service.current().index().size()).isEqualTo(10);
        assertThat(service.status().frozen()).isTrue();
        assertThat(service.status().problem())
                .isEqualTo("the file changed on disk but the registry is frozen: still serving version 1");
        assertThat(service.health().detail()).contains("(frozen)");
        service.close();
    }

    @Test
    void withoutAFileNothingIsServedAndHealthSaysWhy() {
        RegistryService service = service(dir.resolve("none.db"), false, 0);

        service.poll();

        assertThat(service.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(service.health().detail()).startsWith("registry " + dir.resolve("none.db")
                + " is invalid: there is no registry file here");
        assertThatThrownBy(service::current).isInstanceOf(NexusException.class)
                .hasMessageContaining("no registry is loaded").hasMessageNotContaining(dir.toString());
    }

    @Test
    void generatesTheDemoPlantWhenAskedAndTheFileIsMissing() {
        Path db = dir.resolve("data/registry.db");
        RegistryService service = service(db, false, 500);

        service.poll();

        assertThat(service.current().index().size()).isBetween(500, 510);
        assertThat(service.current().alarms()).isNotEmpty();
        service.close();
    }

    @Test
    void aRemovedFileKeepsTheServedVersion() throws IOException {
        Path db = plant("plant.csv");
        RegistryService service = service(db, false, 0);
        service.poll();

        Files.delete(db);
        service.poll();

        assertThat(service.current().version()).isEqualTo(1);
        assertThat(service.status().problem()).isEqualTo("the file was removed from disk; still serving version 1");
        assertThat(service.health().status()).isEqualTo(HealthStatus.DEGRADED);
        service.close();
    }

    @Test
    void anInvalidInPlaceEditNeverReachesTheServedVersion() throws Exception {
        Path db = plant("plant.csv");
        RegistryService service = service(db, false, 0);
        service.poll();
        Registry served = service.current();
        nexus.rma.Allocation before = served.tag("plant1/line1/tt101").orElseThrow().allocation();

        editInPlace(db, "UPDATE tag SET byte_offset = 4 WHERE path = 'plant1/line1/tt101'");
        service.poll();

        assertThat(service.current()).isSameAs(served);
        assertThat(service.status().lastValidation().valid()).isFalse();
        assertThat(service.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(service.health().detail()).contains("the file on disk is invalid").contains("still serving version 1");
        assertThat(served.tag("plant1/line1/tt101").orElseThrow().allocation()).isEqualTo(before);
        assertThat(served.tag("plant1/line1/tt102")).isPresent();
        try (CopyReader query = new CopyReader(served)) {
            assertThat(single(query.db, "SELECT byte_offset FROM tag WHERE path = 'plant1/line1/tt101'"))
                    .as("queries read the validated copy, not the edited file").isEqualTo(String.valueOf(before.byteOffset()));
        }
        assertThat(changes).hasSize(1);
        service.close();
    }

    @Test
    void aValidInPlaceEditBecomesTheNextVersionAndTheOldOneStaysAsItWas() throws Exception {
        Path db = plant("plant.csv");
        RegistryService service = service(db, false, 0);
        service.poll();
        Registry first = service.current();
        CopyReader inFlight = new CopyReader(first);

        editInPlace(db, "UPDATE tag SET unit = 'K' WHERE path = 'plant1/line1/tt101'");
        service.poll();

        Registry second = service.current();
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.tag("plant1/line1/tt101").orElseThrow().unit()).isEqualTo("K");
        assertThat(single(inFlight.db, "SELECT unit FROM tag WHERE path = 'plant1/line1/tt101'")).isEqualTo("degC");
        assertThat(service.health().status()).isEqualTo(HealthStatus.UP);
        inFlight.close();
        service.close();
    }

    @Test
    void damageInPlaceKeepsTheServedVersionAnswering() throws Exception {
        Path db = plant("plant.csv");
        RegistryService service = service(db, false, 0);
        service.poll();
        Registry served = service.current();

        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(db,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(1000);
        }
        service.poll();

        assertThat(service.current()).isSameAs(served);
        assertThat(service.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(service.health().detail()).contains("the file on disk is invalid");
        try (CopyReader query = new CopyReader(served)) {
            assertThat(single(query.db, "SELECT count(*) FROM tags")).isEqualTo("10");
        }
        assertThat(served.tag("plant1/line1/tt101")).isPresent();
        service.close();
    }

    @Test
    void aDamagedFileAtStartIsServedFromItsLastGoodCopyWithWritesRefusedUntilConfirmed() throws Exception {
        Path db = plant("plant.csv");
        RegistryService first = service(db, false, 0);
        first.poll();
        first.close();
        Files.write(db, new byte[] { 1, 2, 3 }, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);

        RegistryService restarted = service(db, false, 0);
        restarted.poll();

        assertThat(restarted.current().index().size()).isEqualTo(10);
        assertThat(restarted.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(restarted.health().detail()).contains("LAST GOOD COPY").contains("nexus:registry confirm");
        assertThat(restarted.writesRefused()).get().asString().contains("tag writes are refused");
        restarted.poll();
        assertThat(changes).as("the fallback is served once, not again at every poll").hasSize(2);

        assertThat(restarted.confirmFallback("alice")).startsWith("Confirmed");
        assertThat(restarted.writesRefused()).isEmpty();
        assertThat(restarted.health().status()).isEqualTo(HealthStatus.DEGRADED);

        replace(db, "plant.json");
        restarted.poll();
        assertThat(restarted.current().index().size()).isEqualTo(6);
        assertThat(restarted.health().status()).isEqualTo(HealthStatus.UP);
        assertThatThrownBy(() -> restarted.confirmFallback("alice")).isInstanceOf(NexusException.class)
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        restarted.close();
    }

    @Test
    void aDamagedFileWithoutALastGoodCopyIsDown() throws Exception {
        Path db = dir.resolve("registry.db");
        Files.writeString(db, "SQLite format 3\0 but nothing else");
        RegistryService service = service(db, false, 0);

        service.poll();

        assertThat(service.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(service.health().detail()).doesNotContain("SQLITE_");
        assertThat(service.writesRefused()).isEmpty();
    }

    @Test
    void versionsCarryOnAboveThoseServedEarlierInTheRun() {
        RegistryService service = service(plant("plant.csv"), false, 0, 7);

        service.poll();

        assertThat(service.current().version()).isEqualTo(8);
        service.close();
    }

    @Test
    void theServedCopyIsPrivateAndGoesWhenItsVersionIsRetired() throws Exception {
        Path db = plant("plant.csv");
        RegistryService service = service(db, false, 0);
        service.poll();
        Path copy = dir.resolve("copies/v1.db");
        assertThat(copy).exists();
        if (db.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
                    .isEqualTo("rw-------");
        }
        CopyReader held = new CopyReader(service.current());
        assertThat(held.lease.file()).isEqualTo(copy.toAbsolutePath());

        replace(db, "plant.json");
        service.poll();
        assertThat(copy).as("still leased").exists();
        held.close();

        assertThat(copy).doesNotExist();
        assertThat(dir.resolve("copies/v2.db")).exists();
        service.close();
    }

    @Test
    void aTruncatedFileIsNeverCopiedAsIfWhole() throws Exception {
        Path db = plant("plant.csv");
        Path big = dir.resolve("big.db");
        DemoPlant.write(big, 2_000);
        Files.move(big, db, StandardCopyOption.REPLACE_EXISTING);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(db,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
        RegistryService service = service(db, false, 0);

        service.poll();

        assertThat(service.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(service.health().detail()).contains("truncated or damaged").doesNotContain("application_id");
    }

    @Test
    void tagLookupsAnswerWhileUsersSqlHoldsConnectionsToTheCopy() throws Exception {
        RegistryService service = service(plant("plant.csv"), false, 0);
        service.poll();
        Registry served = service.current();
        List<CopyReader> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            held.add(new CopyReader(served));
        }

        assertThat(served.tag("plant1/line1/tt102")).isPresent();
        assertThat(served.tag(1L)).isPresent();

        for (CopyReader reader : held) {
            reader.close();
        }
        service.close();
    }

    @Test
    void aStoppedServiceLeasesNoCopyAndDeletesItWhenTheLastLeaseCloses() throws Exception {
        RegistryService service = service(plant("plant.csv"), false, 0);
        service.poll();
        Registry served = service.current();
        CopyReader held = new CopyReader(served);

        service.close();

        assertThat(held.lease.retired()).isTrue();
        assertThatThrownBy(served::leaseCopy).isInstanceOf(NexusException.class)
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
        assertThatThrownBy(() -> served.tag("plant1/line1/tt102")).isInstanceOf(NexusException.class);
        assertThat(count(held.db)).as("a leased copy still reads").isEqualTo(10);
        held.close();
        held.lease.close();
        assertThat(held.lease.file()).doesNotExist();
    }

    @Test
    void anEditThatKeepsTheSizeAndSetsTheTimesBackIsStillSeen() throws Exception {
        Path db = plant("plant.csv");
        RegistryService service = service(db, false, 0);
        service.poll();
        java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(db);
        long size = Files.size(db);

        try (Connection writer = Sqlite.create(db); Statement statement = writer.createStatement()) {
            statement.executeUpdate("UPDATE tag SET unit = 'K' WHERE path = 'plant1/line1/tt101'"); // 'degC' -> 'K'
        }
        Files.setLastModifiedTime(db, before); // as rsync --inplace -t, or a coarse file system, leaves it
        assertThat(Files.size(db)).isEqualTo(size);
        service.poll();

        assertThat(service.current().version()).isEqualTo(2);
        assertThat(service.current().tag("plant1/line1/tt101").orElseThrow().unit()).isEqualTo("K");
        service.close();
    }

    @Test
    void aServedCopyChangedOnDiskIsTakenAgainFromTheFile() throws Exception {
        Path db = plant("plant.csv");
        RegistryService service = service(db, false, 0);
        service.poll();

        Files.write(dir.resolve("copies/v1.db"), new byte[] { 0 }, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        service.poll();

        assertThat(service.current().version()).isEqualTo(2);
        assertThat(service.health().status()).isEqualTo(HealthStatus.UP);
        try (CopyReader query = new CopyReader(service.current())) {
            assertThat(single(query.db, "SELECT count(*) FROM tags")).isEqualTo("10");
        }
        service.close();
    }

    @Test
    void aServedCopyChangedOnDiskWhileTheFileIsInvalidFallsBackToTheLastGoodCopy() throws Exception {
        Path db = plant("plant.csv");
        RegistryService service = service(db, false, 0);
        service.poll();
        Files.write(db, new byte[] { 1, 2, 3 }, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        service.poll();
        assertThat(service.health().detail()).contains("the file on disk is invalid");

        Files.write(dir.resolve("copies/v1.db"), new byte[] { 0 }, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        service.poll();

        assertThat(service.current().version()).isEqualTo(2);
        assertThat(service.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(service.health().detail()).contains("LAST GOOD COPY").contains("was changed or removed on disk");
        assertThat(service.writesRefused()).isPresent();
        try (CopyReader query = new CopyReader(service.current())) {
            assertThat(single(query.db, "SELECT count(*) FROM tags")).isEqualTo("10");
        }
        service.close();
    }

    @Test
    void theLastGoodCopyFollowsAHomeFolderThatIsMoved() throws Exception {
        Path first = Files.createDirectories(dir.resolve("first/data"));
        assertThat(RegistryAdmin.importList(ImportTest.EXAMPLES.resolve("plant.csv"), first.resolve("registry.db")).valid())
                .isTrue();
        RegistryService before = new RegistryService(first.resolve("registry.db"), "data/registry.db", false, 2, 500, 0,
                new RegistryCopies(first.resolve("registry-copies")), 0, changes::add);
        before.poll();
        before.close();
        Path moved = Files.createDirectories(dir.resolve("moved/data"));
        try (var files = Files.list(first.resolve("registry-copies"))) {
            Files.createDirectories(moved.resolve("registry-copies"));
            for (Path file : files.toList()) {
                Files.copy(file, moved.resolve("registry-copies").resolve(file.getFileName()));
            }
        }
        Files.write(moved.resolve("registry.db"), new byte[] { 1, 2, 3 }); // and damaged on the way

        RegistryService after = new RegistryService(moved.resolve("registry.db"), "data/registry.db", false, 2, 500, 0,
                new RegistryCopies(moved.resolve("registry-copies")), 0, changes::add);
        after.poll();

        assertThat(after.health().detail()).contains("LAST GOOD COPY");
        assertThat(after.current().index().size()).isEqualTo(10);
        after.close();
    }
}
