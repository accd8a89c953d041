package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCopiesTest {

    @TempDir
    Path dir;

    private static int units(Path db, String unit) throws Exception {
        try (Connection reader = Sqlite.readOnly(db); Statement statement = reader.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM tag WHERE unit = '" + unit + "'")) {
            row.next();
            return row.getInt(1);
        }
    }

    @Test
    void aCopyOfAQuietFileHoldsItsContent() throws Exception {
        Path db = dir.resolve("registry.db");
        DemoPlant.write(db, 500);

        Path copy = new RegistryCopies(dir.resolve("copies")).copy(db, 1);

        assertThat(RegistryLoader.load(copy, 1, 1, 0).report().tags()).isEqualTo(RegistryLoader.load(db, 1, 1, 0)
                .report().tags());
    }

    @Test
    void aFileInWalModeIsCopiedWithTheTransactionsItsLogHolds() throws Exception {
        Path db = dir.resolve("registry.db");
        DemoPlant.write(db, 500);
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + db); Statement statement = writer.createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("PRAGMA wal_autocheckpoint = 0");
            statement.executeUpdate("UPDATE tag SET unit = 'furlong' WHERE id IN (SELECT id FROM tag LIMIT 7)");
            // the writer stays open: the update is in the write-ahead log only, not in the file

            Path copy = new RegistryCopies(dir.resolve("copies")).copy(db, 1);

            assertThat(units(copy, "furlong")).isEqualTo(7);
        }
    }
}
