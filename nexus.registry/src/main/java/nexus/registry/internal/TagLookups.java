package nexus.registry.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.AlarmDefinition;
import nexus.registry.AllocationIndex;
import nexus.registry.Tag;
import nexus.rma.Bank;

/**
 * The registry's fixed statements, on the lookup connections of one version: a tag by path or id,
 * many by id, a page by path prefix, the tags with a property, and everything for an export. Users'
 * SQL never runs here. Thread-safe.
 */
final class TagLookups {

    /**
     * A tag's columns but its address (the version's allocation index holds that already, validated);
     * files of schema version 1 have no {@code write_roles}, and their tags name none.
     */
    private final String columns;

    /** The highest code point: every path that starts with a prefix sorts below the prefix followed by it. */
    private static final String LAST = new String(Character.toChars(Character.MAX_CODE_POINT));

    /** A statement run on a lookup connection. */
    @FunctionalInterface
    interface Lookup<T> {
        T run(Connection db) throws SQLException;
    }

    private final long version;
    private final AllocationIndex index;
    private final ConnectionPool pool;

    TagLookups(long version, int schema, AllocationIndex index, ConnectionPool pool) {
        this.version = version;
        this.columns = "id, path, unit, description, writable, eng_low, eng_high, "
                + (schema >= Schema.WRITE_ROLES ? "write_roles" : "NULL AS write_roles");
        this.index = index;
        this.pool = pool;
    }

    ConnectionPool pool() {
        return pool;
    }

    Optional<Tag> byPath(String path) {
        return run(db -> one(db, "SELECT " + columns + " FROM tag WHERE path = ?", path));
    }

    Optional<Tag> byId(long id) {
        return run(db -> one(db, "SELECT " + columns + " FROM tag WHERE id = ?", id));
    }

    List<Tag> byIds(long[] ids) {
        Map<Long, Tag> found = new HashMap<>(ids.length * 2);
        if (ids.length > 0) {
            // One statement whatever the count: the ids travel as one JSON array, not one parameter each.
            StringBuilder array = new StringBuilder(ids.length * 8).append('[');
            for (long id : ids) {
                array.append(id).append(',');
            }
            array.setCharAt(array.length() - 1, ']');
            run(db -> {
                try (PreparedStatement statement = db.prepareStatement("SELECT " + columns + " FROM tag"
                        + " WHERE id IN (SELECT value FROM json_each(?))")) {
                    statement.setString(1, array.toString());
                    for (Tag tag : tags(statement, Map.of())) {
                        found.put(tag.id(), tag);
                    }
                }
                return null;
            });
        }
        List<Tag> result = new ArrayList<>(ids.length);
        for (long id : ids) {
            result.add(found.get(id));
        }
        return result;
    }

    List<Tag> page(String prefix, String afterPath, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a page holds at least 1 tag, not " + limit);
        }
        String from = prefix == null ? "" : prefix;
        String sql = "SELECT " + columns + " FROM tag WHERE path >= ? AND path < ?"
                + (afterPath == null ? "" : " AND path > ?") + " ORDER BY path LIMIT ?";
        return run(db -> {
            try (PreparedStatement statement = db.prepareStatement(sql)) {
                int i = 1;
                statement.setString(i++, from);
                statement.setString(i++, from + LAST);
                if (afterPath != null) {
                    statement.setString(i++, afterPath);
                }
                statement.setInt(i, limit);
                return tags(statement, Map.of());
            }
        });
    }

    List<Tag> withProperty(String key) {
        return run(db -> {
            Map<Long, Map<String, String>> properties = new HashMap<>();
            try (PreparedStatement statement = db.prepareStatement("SELECT tag_id, key, value FROM tag_property"
                    + " WHERE tag_id IN (SELECT tag_id FROM tag_property WHERE key = ?)")) {
                statement.setString(1, key);
                collectProperties(statement, properties);
            }
            try (PreparedStatement statement = db.prepareStatement("SELECT " + columns + " FROM tag"
                    + " WHERE id IN (SELECT tag_id FROM tag_property WHERE key = ?) ORDER BY id")) {
                statement.setString(1, key);
                return tags(statement, properties);
            }
        });
    }

    /**
     * The tags with a property, one at a time: one statement joins each tag to all its properties, in
     * id order, and a tag is handed over when the next one starts.
     */
    void withProperty(String key, Consumer<Tag> each) {
        run(db -> {
            try (PreparedStatement statement = db.prepareStatement("SELECT " + columns + ", p.key, p.value FROM tag"
                    + " JOIN tag_property p ON p.tag_id = id"
                    + " WHERE id IN (SELECT tag_id FROM tag_property WHERE key = ?) ORDER BY id")) {
                statement.setString(1, key);
                try (ResultSet row = statement.executeQuery()) {
                    Map<String, String> properties = new HashMap<>();
                    Tag pending = null;
                    while (row.next()) {
                        if (pending == null || pending.id() != row.getLong(1)) {
                            if (pending != null) {
                                each.accept(withProperties(pending, properties));
                                properties.clear();
                            }
                            pending = tag(row, Map.of());
                        }
                        properties.put(row.getString(9), row.getString(10));
                    }
                    if (pending != null) {
                        each.accept(withProperties(pending, properties));
                    }
                }
            }
            return null;
        });
    }

    private static Tag withProperties(Tag tag, Map<String, String> properties) {
        return new Tag(tag.id(), tag.path(), tag.allocation(), tag.unit(), tag.description(), tag.writable(),
                tag.engLow(), tag.engHigh(), properties, tag.writeRoles());
    }

    /** @return every tag with its properties, banks and alarms: for an export */
    RegistryContent content(List<Bank> banks, List<AlarmDefinition> alarms) {
        return run(db -> {
            Map<Long, Map<String, String>> properties = new HashMap<>();
            try (PreparedStatement statement = db.prepareStatement("SELECT tag_id, key, value FROM tag_property")) {
                collectProperties(statement, properties);
            }
            try (PreparedStatement statement = db.prepareStatement("SELECT " + columns + " FROM tag ORDER BY id")) {
                return new RegistryContent(banks, tags(statement, properties), alarms);
            }
        });
    }

    private <T> T run(Lookup<T> lookup) {
        try (Connection db = pool.borrow()) {
            return lookup.run(db);
        } catch (SQLException e) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "registry version " + version
                    + " cannot be read from its private copy (" + Sqlite.describe(e) + "): see /health", e);
        }
    }

    private Optional<Tag> one(Connection db, String sql, Object key) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setObject(1, key);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(tag(row, properties(db, row.getLong(1))));
            }
        }
    }

    private List<Tag> tags(PreparedStatement statement, Map<Long, Map<String, String>> properties)
            throws SQLException {
        List<Tag> tags = new ArrayList<>();
        try (ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                tags.add(tag(row, properties.get(row.getLong(1))));
            }
        }
        return tags;
    }

    private static void collectProperties(PreparedStatement statement, Map<Long, Map<String, String>> properties)
            throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                properties.computeIfAbsent(row.getLong(1), id -> new HashMap<>()).put(row.getString(2), row.getString(3));
            }
        }
    }

    private static Map<String, String> properties(Connection db, long id) throws SQLException {
        Map<Long, Map<String, String>> properties = new HashMap<>();
        try (PreparedStatement statement = db.prepareStatement("SELECT tag_id, key, value FROM tag_property WHERE tag_id = ?")) {
            statement.setLong(1, id);
            collectProperties(statement, properties);
        }
        return properties.getOrDefault(id, Map.of());
    }

    /** @return the tag on the current row of a {@link #columns} query, at its address in the index */
    private Tag tag(ResultSet row, Map<String, String> properties) throws SQLException {
        long id = row.getLong(1);
        return new Tag(id, row.getString(2), index.allocation(index.position(id)), row.getString(3), row.getString(4),
                row.getInt(5) != 0, nullableDouble(row, 6), nullableDouble(row, 7), properties,
                WriteRoles.parse(row.getString(8)));
    }

    static Double nullableDouble(ResultSet row, int column) throws SQLException {
        double value = row.getDouble(column);
        return row.wasNull() ? null : value;
    }
}
