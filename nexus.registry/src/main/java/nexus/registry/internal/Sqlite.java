package nexus.registry.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/** Opens SQLite connections without DriverManager (which cannot see the driver inside OSGi). */
final class Sqlite {

    private Sqlite() {
    }

    /**
     * @return a read-only connection with {@code PRAGMA query_only} set, so it can never write; a
     *         missing file fails to open rather than being created. It runs the registry's own
     *         statements only: users' SQL runs on the query engine's connections, which add limits.
     */
    static Connection readOnly(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.READONLY);
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA query_only = 1");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** @return a connection that creates the file, tuned for building it in one go */
    static Connection create(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.OFF);
        config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** @return what SQLite said, without the driver's decoration: for messages to operators */
    static String describe(SQLException e) {
        String message = e.getMessage() == null ? "unknown error" : e.getMessage();
        int open = message.lastIndexOf(" (");
        if (message.startsWith("[SQLITE_") && open > 0 && message.endsWith(")")) {
            return message.substring(open + 2, message.length() - 1);
        }
        return message;
    }
}
