package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.QueryOptions;
import nexus.registry.RegistryCopy;
import nexus.registry.RegistryFiles;

/** Users' SQL runs on the engine's own read-only connections to the leased copy of each version. */
class RegistrySqlTest {

    @TempDir
    Path dir;

    /** A registry whose copy lease can be retired and whose lease closes are counted. */
    private static final class Leased extends DelegatingRegistry {
        final AtomicBoolean retired = new AtomicBoolean();
        final AtomicInteger leases = new AtomicInteger();
        final Path file;

        Leased(RegistryFiles.Opened served, Path file, long version) {
            super(served, version);
            this.file = file;
        }

        @Override
        public RegistryCopy leaseCopy() {
            if (retired.get()) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "this registry version has been replaced: ask again");
            }
            leases.incrementAndGet();
            return new RegistryCopy() {
                private boolean closed;

                @Override
                public long version() {
                    return Leased.this.version();
                }

                @Override
                public Path file() {
                    return file;
                }

                @Override
                public boolean retired() {
                    return retired.get();
                }

                @Override
                public synchronized void close() {
                    if (!closed) {
                        closed = true;
                        leases.decrementAndGet();
                    }
                }
            };
        }
    }

    private static long count(Connection db) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery("SELECT count(*) FROM tags")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void aRetiredVersionsConnectionsCloseAsTheyComeBackAndItsLeaseIsGivenBack() throws Exception {
        try (Fixture plant = new Fixture(dir, 300, Limits.DEFAULT)) {
            Leased first = new Leased(plant.registry, plant.file, 1);
            RegistrySql sql = new RegistrySql(2, 100);
            CopyPool.Borrowed inFlight = sql.borrow(first);
            assertThat(first.leases).hasValue(1);

            first.retired.set(true);
            sql.retireStale();

            assertThat(sql.versions()).isZero();
            assertThat(count(inFlight.db())).as("a query in flight finishes on its version").isPositive();
            assertThat(first.leases).as("still in use").hasValue(1);
            inFlight.close();
            assertThat(inFlight.db().isClosed()).isTrue();
            assertThat(first.leases).hasValue(0);
            assertThatThrownBy(() -> sql.borrow(first)).isInstanceOf(NexusException.class)
                    .hasMessage("this registry version has been replaced: ask again");
            sql.close();
        }
    }

    @Test
    void eachVersionHasItsOwnConnectionsAndTheEngineFollowsTheVersionServed() {
        try (Fixture plant = new Fixture(dir, 300, Limits.DEFAULT)) {
            Leased first = new Leased(plant.registry, plant.file, 1);
            Leased second = new Leased(plant.registry, plant.file, 2);

            assertThat(plant.engine.select(first, plant.rma, "SELECT count(*) FROM tags", QueryOptions.DEFAULT).registryVersion())
                    .isEqualTo(1);
            assertThat(plant.engine.select(second, plant.rma, "SELECT count(*) FROM tags", QueryOptions.DEFAULT).registryVersion())
                    .isEqualTo(2);
            assertThat(plant.engine.sqlVersions()).isEqualTo(2);

            first.retired.set(true);
            plant.engine.registryChanged();

            assertThat(plant.engine.sqlVersions()).isEqualTo(1);
            assertThat(first.leases).hasValue(0);
            assertThatThrownBy(() -> plant.engine.select(first, plant.rma, "SELECT 1", QueryOptions.DEFAULT))
                    .isInstanceOf(NexusException.class).extracting(e -> ((NexusException) e).code())
                    .isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
            plant.engine.close();
            assertThat(second.leases).as("a stopped engine gives every lease back").hasValue(0);
        }
    }

    @Test
    void aCopyThatIsGoneFailsToOpenAndIsNeverCreatedEmpty() {
        try (Fixture plant = new Fixture(dir, 300, Limits.DEFAULT)) {
            Path gone = dir.resolve("copies/v7.db");
            Leased deleted = new Leased(plant.registry, gone, 7);

            assertThatThrownBy(() -> plant.engine.select(deleted, plant.rma, "SELECT count(*) FROM tags", QueryOptions.DEFAULT))
                    .isInstanceOf(NexusException.class).hasMessage("the registry copy of this version cannot be read: see /health")
                    .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
            assertThat(gone).doesNotExist();
            assertThat(deleted.leases).as("the lease is given back when the copy cannot be opened").hasValue(0);
            assertThat(plant.engine.admission().running()).isZero();
        }
    }

    @Test
    void queryConnectionsCannotWrite() throws Exception {
        try (Fixture plant = new Fixture(dir, 300, Limits.DEFAULT)) {
            byte[] before = Files.readAllBytes(plant.file);
            for (String sql : new String[] { "DELETE FROM tag", "UPDATE bank SET size = 1", "CREATE TABLE x (y)",
                    "ATTACH DATABASE '" + dir.resolve("other.db") + "' AS other" }) {
                try (Connection db = ReadOnlySqlite.open(plant.file); Statement statement = db.createStatement()) {
                    assertThatThrownBy(() -> statement.execute(sql)).as(sql).isInstanceOf(SQLException.class);
                }
            }
            // Even with query_only switched off, the connection was opened read-only.
            try (Connection db = ReadOnlySqlite.open(plant.file); Statement statement = db.createStatement()) {
                statement.execute("PRAGMA query_only = 0");
                assertThatThrownBy(() -> statement.execute("DELETE FROM tag")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("readonly");
            }
            assertThat(Files.readAllBytes(plant.file)).isEqualTo(before);
            assertThat(dir.resolve("other.db")).doesNotExist();
        }
    }
}
