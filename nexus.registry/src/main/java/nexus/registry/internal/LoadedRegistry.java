package nexus.registry.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.AlarmDefinition;
import nexus.registry.AllocationIndex;
import nexus.registry.Tag;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.RmaType;

/** A validated registry file and its connections: immutable until retired. */
final class LoadedRegistry implements RegistryFiles.Opened {

    private static final String TAG_COLUMNS = "id, path, type, bank_id, byte_offset, bit_offset, length, unit,"
            + " description, writable, eng_low, eng_high";

    private final long version;
    private final String file;
    private final List<Bank> banks;
    private final AllocationIndex index;
    private final List<AlarmDefinition> alarms;
    private final ConnectionPool pool;
    private final ConnectionPool lookups;
    /** Pools still open; when none is, {@link #onClosed} runs. */
    private final java.util.concurrent.atomic.AtomicInteger openPools = new java.util.concurrent.atomic.AtomicInteger(2);
    private volatile Runnable onClosed = () -> { };
    /** Tags found by path (only found ones: at most the registry's tags): this version never changes, so answers stay true. */
    private final java.util.concurrent.ConcurrentHashMap<String, Optional<Tag>> byPath = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int PATH_CACHE = 100_000;

    LoadedRegistry(long version, String file, List<Bank> banks, AllocationIndex index, List<AlarmDefinition> alarms,
            ConnectionPool pool, ConnectionPool lookups) {
        this.version = version;
        this.file = file;
        this.banks = List.copyOf(banks);
        this.index = index;
        this.alarms = List.copyOf(alarms);
        this.pool = pool;
        this.lookups = lookups;
        pool.whenClosed(this::poolClosed);
        lookups.whenClosed(this::poolClosed);
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public List<Bank> banks() {
        return banks;
    }

    @Override
    public AllocationIndex index() {
        return index;
    }

    @Override
    public List<AlarmDefinition> alarms() {
        return alarms;
    }

    @Override
    public Optional<Tag> tag(String path) {
        Optional<Tag> cached = byPath.get(path);
        if (cached != null) {
            return cached;
        }
        Optional<Tag> found = find("SELECT " + TAG_COLUMNS + " FROM tag WHERE path = ?", path);
        if (found.isEmpty()) {
            return found; // not cached: clients choose unknown paths freely, and they would fill the heap
        }
        if (byPath.size() >= PATH_CACHE) {
            byPath.clear();
        }
        byPath.put(path, found);
        return found;
    }

    /** @return how many tag paths are cached (for tests) */
    int cachedPaths() {
        return byPath.size();
    }

    @Override
    public Optional<Tag> tag(long id) {
        return find("SELECT " + TAG_COLUMNS + " FROM tag WHERE id = ?", id);
    }

    @Override
    public Connection connection() {
        return pool.borrow();
    }

    /** @param action runs once, after {@link #retire}, when the last connection of both pools has been closed */
    void whenClosed(Runnable action) {
        onClosed = action;
    }

    private void poolClosed() {
        if (openPools.decrementAndGet() == 0) {
            onClosed.run();
        }
    }

    /** Stops lending connections and closes them as they come back. */
    void retire() {
        pool.retire();
        lookups.retire();
    }

    @Override
    public void close() {
        retire();
    }

    private Optional<Tag> find(String sql, Object key) {
        try (Connection db = lookups.borrow(); PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setObject(1, key);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                long id = row.getLong(1);
                return Optional.of(tag(row, properties(db, id)));
            }
        } catch (SQLException e) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "registry version " + version
                    + " cannot be read from its private copy (" + Sqlite.describe(e) + "): see /health", e);
        }
    }

    /** @return the tag on the current row of a {@link #TAG_COLUMNS} query */
    static Tag tag(ResultSet row, Map<String, String> properties) throws SQLException {
        RmaType type = RmaType.valueOf(row.getString(3));
        Allocation allocation = new Allocation(row.getInt(4), row.getInt(5), row.getInt(6), type, row.getInt(7));
        return new Tag(row.getLong(1), row.getString(2), allocation, row.getString(8), row.getString(9),
                row.getInt(10) != 0, nullableDouble(row, 11), nullableDouble(row, 12), properties);
    }

    static Map<String, String> properties(Connection db, long id) throws SQLException {
        Map<String, String> properties = new HashMap<>();
        try (PreparedStatement statement = db.prepareStatement("SELECT key, value FROM tag_property WHERE tag_id = ?")) {
            statement.setLong(1, id);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    properties.put(row.getString(1), row.getString(2));
                }
            }
        }
        return properties;
    }

    static Double nullableDouble(ResultSet row, int column) throws SQLException {
        double value = row.getDouble(column);
        return row.wasNull() ? null : value;
    }

    static String columns() {
        return TAG_COLUMNS;
    }
}
