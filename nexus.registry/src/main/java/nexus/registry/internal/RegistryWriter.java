package nexus.registry.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import nexus.registry.AlarmDefinition;
import nexus.registry.Tag;
import nexus.rma.Bank;

/**
 * Writes registry content to a new file atomically: built beside the target under a temporary
 * name, then moved over it. A failure leaves the target as it was.
 */
final class RegistryWriter {

    private static final int BATCH = 10_000;

    private RegistryWriter() {
    }

    static void write(RegistryContent content, Path target) throws IOException, SQLException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".building");
        Files.delete(temp); // SQLite creates it
        try {
            try (Connection db = Sqlite.create(temp)) {
                db.setAutoCommit(false);
                try (Statement statement = db.createStatement()) {
                    statement.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
                    statement.execute("PRAGMA user_version = " + Schema.VERSION);
                    for (String ddl : Schema.DDL) {
                        statement.execute(ddl);
                    }
                    for (String view : Schema.views(Schema.VERSION)) {
                        statement.execute(view);
                    }
                }
                insert(db, content);
                db.commit();
                try (Statement statement = db.createStatement()) {
                    db.setAutoCommit(true);
                    statement.execute("PRAGMA journal_mode = DELETE");
                    statement.execute("ANALYZE");
                }
            }
            restrictMode(temp);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Gives a file this node created the mode its folder calls for, whatever the umask: owner-only
     * (0600), or 0660 when the folder is group-writable ({@code ./nexus} with {@code NEXUS_WRITER_GROUP}
     * makes {@code data/} so, for a PLC driver). Whoever can write the registry file is an admin
     * (docs/security.md). On a file system without POSIX modes its own defaults apply.
     */
    private static void restrictMode(Path file) throws IOException {
        Set<PosixFilePermission> mode = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        try {
            if (Files.getPosixFilePermissions(file.toAbsolutePath().getParent()).contains(PosixFilePermission.GROUP_WRITE)) {
                mode.add(PosixFilePermission.GROUP_READ);
                mode.add(PosixFilePermission.GROUP_WRITE);
            }
            Files.setPosixFilePermissions(file, mode);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    private static void insert(Connection db, RegistryContent content) throws SQLException {
        try (PreparedStatement bank = db.prepareStatement("INSERT INTO bank (id, name, size) VALUES (?, ?, ?)")) {
            for (Bank b : content.banks()) {
                bank.setInt(1, b.id());
                bank.setString(2, b.name());
                bank.setInt(3, b.size());
                bank.addBatch();
            }
            bank.executeBatch();
        }
        try (PreparedStatement tag = db.prepareStatement("INSERT INTO tag (id, path, type, bank_id, byte_offset,"
                + " bit_offset, length, unit, description, writable, eng_low, eng_high, write_roles)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
                PreparedStatement property = db.prepareStatement(
                        "INSERT INTO tag_property (tag_id, key, value) VALUES (?, ?, ?)")) {
            int pending = 0;
            for (Tag t : content.tags()) {
                var a = t.allocation();
                tag.setLong(1, t.id());
                tag.setString(2, t.path());
                tag.setString(3, a.type().name());
                tag.setInt(4, a.bank());
                tag.setInt(5, a.byteOffset());
                tag.setInt(6, a.bitOffset());
                tag.setInt(7, a.length());
                tag.setString(8, t.unit());
                tag.setString(9, t.description());
                tag.setInt(10, t.writable() ? 1 : 0);
                setDouble(tag, 11, t.engLow());
                setDouble(tag, 12, t.engHigh());
                tag.setString(13, WriteRoles.format(t.writeRoles()));
                tag.addBatch();
                for (Map.Entry<String, String> p : t.properties().entrySet()) {
                    property.setLong(1, t.id());
                    property.setString(2, p.getKey());
                    property.setString(3, p.getValue());
                    property.addBatch();
                }
                if (++pending == BATCH) {
                    tag.executeBatch();
                    property.executeBatch();
                    pending = 0;
                }
            }
            tag.executeBatch();
            property.executeBatch();
        }
        try (PreparedStatement alarm = db.prepareStatement("INSERT INTO alarm (id, name, tag_id, condition, limit_value,"
                + " deadband, severity, requires_ack, latching, on_delay_ms, off_delay_ms, max_shelve_s, message,"
                + " flag_bank_id, flag_byte, tag_path) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (AlarmDefinition a : content.alarms()) {
                alarm.setLong(1, a.id());
                alarm.setString(2, a.name());
                if (a.contributed()) {
                    alarm.setNull(3, Types.INTEGER); // found by path in each version
                    alarm.setString(16, a.tagPath());
                } else {
                    alarm.setLong(3, a.tagId());
                    alarm.setNull(16, Types.VARCHAR);
                }
                alarm.setString(4, a.condition().name());
                setDouble(alarm, 5, a.limit());
                alarm.setDouble(6, a.deadband());
                alarm.setString(7, a.severity().name());
                alarm.setInt(8, a.requiresAck() ? 1 : 0);
                alarm.setInt(9, a.latching() ? 1 : 0);
                alarm.setLong(10, a.onDelayMillis());
                alarm.setLong(11, a.offDelayMillis());
                alarm.setLong(12, a.maxShelveSeconds());
                alarm.setString(13, a.message());
                alarm.setInt(14, a.flags().bank());
                alarm.setInt(15, a.flags().byteOffset());
                alarm.addBatch();
            }
            alarm.executeBatch();
        }
    }

    private static void setDouble(PreparedStatement statement, int index, Double value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.REAL);
        } else {
            statement.setDouble(index, value);
        }
    }
}
