package nexus.query.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;
import org.sqlite.SQLiteOpenMode;

/** Opens the connections users' SQL runs on (without DriverManager, which cannot see the driver inside OSGi). */
final class ReadOnlySqlite {

    private ReadOnlySqlite() {
    }

    /**
     * @return a connection that can never write: opened read-only without create (a copy that is gone
     *         fails to open instead of coming back empty), with {@code PRAGMA query_only} set, no
     *         attached databases and bounded string, SQL, LIKE-pattern and expression sizes, and
     *         {@code path_glob(glob, path)}: the namespace's glob rule ({@link PathGlob})
     */
    static Connection open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.READONLY);
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA query_only = 1");
            // Defence in depth behind the query guard: bounds no valid registry query comes near.
            SQLiteConnection sqlite = connection.unwrap(SQLiteConnection.class);
            sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
            sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_LENGTH, 10_000_000);
            sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_SQL_LENGTH, 1_000_000);
            sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1_000);
            sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_EXPR_DEPTH, 200);
            sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_COMPOUND_SELECT, 100);
            PathGlob.register(connection);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
