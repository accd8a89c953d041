package nexus.registry.internal;

import java.util.List;

/**
 * The registry file's schema, version 3 (docs/registry.md). Tables hold the data; the views are
 * the stable interface users query. Version 2 added the column {@code write_roles} to the table
 * {@code tag} and the view {@code tags}; version 3 lets an alarm watch a contributed tag (a federation
 * mirror's) by path: {@code alarm.tag_path}, with {@code alarm.tag_id} NULL in the file and set,
 * in each version's private copy, to the id the path has there ({@link ContributionWriter}); the view
 * {@code alarms} gained the column {@code contributed}. Files of versions 1 and 2 are still read,
 * and only version 3 is written.
 */
final class Schema {

    /** {@code PRAGMA application_id}: "RMNX". */
    static final int APPLICATION_ID = 0x524D4E58;

    /** {@code PRAGMA user_version} of the files written. */
    static final int VERSION = 3;

    /** The oldest {@code user_version} still read. */
    static final int OLDEST = 1;

    /** The first version whose table {@code tag} has the column {@code write_roles}. */
    static final int WRITE_ROLES = 2;

    /** The first version whose table {@code alarm} has the column {@code tag_path}. */
    static final int CONTRIBUTED_ALARMS = 3;

    /** The views users may query (the SELECT guard allows these and nothing else). */
    static final List<String> PUBLIC_VIEWS = List.of("banks", "tags", "tag_properties", "alarms");

    /** The tables and indexes of the version written; {@link #views} follow them. */
    static final List<String> DDL = List.of(
            "CREATE TABLE bank (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, size INTEGER NOT NULL)",
            "CREATE TABLE tag (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, type TEXT NOT NULL,"
                    + " bank_id INTEGER NOT NULL REFERENCES bank(id), byte_offset INTEGER NOT NULL,"
                    + " bit_offset INTEGER NOT NULL DEFAULT 0, length INTEGER NOT NULL, unit TEXT, description TEXT,"
                    + " writable INTEGER NOT NULL DEFAULT 0, eng_low REAL, eng_high REAL, write_roles TEXT)",
            "CREATE TABLE tag_property (tag_id INTEGER NOT NULL REFERENCES tag(id), key TEXT NOT NULL, value TEXT,"
                    + " PRIMARY KEY (tag_id, key)) WITHOUT ROWID",
            "CREATE TABLE alarm (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, tag_id INTEGER, tag_path TEXT,"
                    + " condition TEXT NOT NULL, limit_value REAL, deadband REAL NOT NULL DEFAULT 0, severity TEXT NOT NULL,"
                    + " requires_ack INTEGER NOT NULL DEFAULT 1, latching INTEGER NOT NULL DEFAULT 0,"
                    + " on_delay_ms INTEGER NOT NULL DEFAULT 0, off_delay_ms INTEGER NOT NULL DEFAULT 0,"
                    + " max_shelve_s INTEGER NOT NULL DEFAULT 0, message TEXT, flag_bank_id INTEGER NOT NULL,"
                    + " flag_byte INTEGER NOT NULL)",
            "CREATE INDEX tag_by_bank ON tag (bank_id, byte_offset)",
            "CREATE INDEX tag_property_by_key ON tag_property (key, value)");

    /**
     * The public views of a schema version, in {@link #PUBLIC_VIEWS} order: what RMA Nexus writes into
     * a new file, and what every private copy it serves is given in place of the file's own (a view is
     * SQL a file may carry anything in, and SQL answers through it).
     *
     * @param version a version from {@link #OLDEST} to {@link #VERSION}
     */
    static List<String> views(int version) {
        String roles = version >= WRITE_ROLES ? ", t.write_roles" : "";
        // tag_id stays the table's own column: the query engine knows a tag id column by its origin.
        String alarms = version >= CONTRIBUTED_ALARMS
                ? "CREATE VIEW alarms AS SELECT a.id, a.name, a.tag_id, coalesce(t.path, a.tag_path) AS tag, a.condition,"
                        + " a.limit_value, a.deadband, a.severity, a.requires_ack, a.latching, a.on_delay_ms, a.off_delay_ms,"
                        + " a.max_shelve_s, a.message, fb.name AS flag_bank, a.flag_byte, a.tag_path IS NOT NULL AS contributed"
                        + " FROM alarm a LEFT JOIN tag t ON t.id = a.tag_id LEFT JOIN bank fb ON fb.id = a.flag_bank_id"
                : "CREATE VIEW alarms AS SELECT a.id, a.name, a.tag_id, t.path AS tag, a.condition, a.limit_value,"
                        + " a.deadband, a.severity, a.requires_ack, a.latching, a.on_delay_ms, a.off_delay_ms,"
                        + " a.max_shelve_s, a.message, fb.name AS flag_bank, a.flag_byte"
                        + " FROM alarm a LEFT JOIN tag t ON t.id = a.tag_id LEFT JOIN bank fb ON fb.id = a.flag_bank_id";
        return List.of(
                "CREATE VIEW banks AS SELECT id, name, size FROM bank",
                "CREATE VIEW tags AS SELECT t.id, t.path, t.type, b.name AS bank, t.bank_id, t.byte_offset, t.bit_offset,"
                        + " t.length, t.unit, t.description, t.writable, t.eng_low, t.eng_high" + roles
                        + " FROM tag t JOIN bank b ON b.id = t.bank_id",
                "CREATE VIEW tag_properties AS SELECT p.tag_id, t.path, p.key, p.value"
                        + " FROM tag_property p JOIN tag t ON t.id = p.tag_id",
                alarms);
    }

    private Schema() {
    }
}
