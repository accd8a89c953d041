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
        return new RegistryService(file, frozen, 2, 500, demoTags, changes::add);
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
        Connection inFlight = first.connection();

        replace(db, "plant.json");
        service.poll();

        Registry second = service.current();
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.index().size()).isEqualTo(6);
        assertThat(count(inFlight)).as("the old version still reads the old file").isEqualTo(10);
        try (Connection fresh = second.connection()) {
            assertThat(count(fresh)).isEqualTo(6);
        }
        inFlight.close();
        assertThatThrownBy(first::connection).isInstanceOf(NexusException.class)
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
        assertThat(service.status().problem()).startsWith("a replacement on disk is invalid (it is not an SQLite database")
                .endsWith("still serving version 1");
        assertThat(service.status().lastValidation().valid()).isFalse();
        assertThat(service.health().status()).isEqualTo(HealthStatus.UP);
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
                .hasMessageContaining("no registry is loaded");
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
        service.close();
    }
}
