package nexus.registry.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import nexus.core.AlarmCondition;
import nexus.registry.AlarmDefinition;
import nexus.registry.AllocationIndex;
import nexus.registry.Problem;
import nexus.registry.Problem.Kind;
import nexus.core.Severity;
import nexus.registry.ValidationReport;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.RmaType;

/**
 * Opens a registry file read-only, checks its integrity (an SQLite database, RMA Nexus's
 * application id and schema version, {@code PRAGMA quick_check}), reads banks, the allocation of
 * every tag and the alarm definitions, and validates them. Never writes to the file.
 */
final class RegistryLoader {

    /** The outcome: a registry to serve (null when invalid) and the report. */
    record Result(LoadedRegistry registry, ValidationReport report) {
    }

    private RegistryLoader() {
    }

    /**
     * @param connections how many read-only connections to keep open for the registry's tag lookups
     * @param waitMillis  how long a borrower waits for a free connection
     */
    static Result load(Path file, long version, int connections, long waitMillis) {
        return load(file, file.toString(), version, connections, waitMillis);
    }

    /**
     * Loads a file under another name: a private copy reported as the user's file it was taken from.
     *
     * @param source what problems and the registry name as the file
     */
    static Result load(Path file, String source, long version, int connections, long waitMillis) {
        return load(file, source, version, connections, waitMillis, Integer.MAX_VALUE);
    }

    /**
     * Loads a private copy with contributions written in.
     *
     * @param contributedFrom the id of the first contributed bank: a tag in a lower bank is the file's
     *                        ({@link Integer#MAX_VALUE} for a file alone)
     */
    static Result load(Path file, String source, long version, int connections, long waitMillis, int contributedFrom) {
        return load(file, source, version, connections, waitMillis, contributedFrom, true);
    }

    /**
     * Loads a private copy of content these checks have already passed, unchanged since (a last good
     * copy whose digests match, {@link RegistryCopies#reuse}): reads banks, tags and alarms as {@link
     * #load} does, without the checks of pages, paths, names, ranges, views, write roles and
     * allocations. The report says nothing was found, as when the content was validated.
     */
    static Result loadValidated(Path file, String source, long version, int connections, long waitMillis) {
        return load(file, source, version, connections, waitMillis, Integer.MAX_VALUE, false);
    }

    private static Result load(Path file, String source, long version, int connections, long waitMillis,
            int contributedFrom, boolean validate) {
        long started = System.nanoTime();
        List<Problem> problems = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            problems.add(new Problem(Kind.INTEGRITY, "there is no registry file here: import a tag list"
                    + " (nexus:import) or point file in etc/nexus.registry.cfg at one", List.of(source)));
            return new Result(null, report(source, 0, 0, problems, started));
        }
        List<Connection> opened;
        try {
            opened = ConnectionPool.open(file, Math.max(1, connections));
        } catch (SQLException e) {
            problems.add(new Problem(Kind.INTEGRITY, "cannot open it: " + Sqlite.describe(e), List.of(source)));
            return new Result(null, report(source, 0, 0, problems, started));
        }
        Connection db = opened.get(0);
        Connection checker = null;
        try {
            int schema = integrity(db, source, problems);
            if (!problems.isEmpty()) {
                opened.forEach(ConnectionPool::closeQuietly);
                return new Result(null, report(source, 0, 0, problems, started));
            }
            // The page-level check, then the path rule, run on their own connection while the tags are read:
            // two cores, half the time.
            List<Problem> paths = new ArrayList<>();
            CompletableFuture<Problem> damaged = CompletableFuture.completedFuture(null);
            if (validate) {
                checker = opened.size() > 1 ? opened.get(1) : Sqlite.readOnly(file);
                Connection check = checker;
                damaged = CompletableFuture.supplyAsync(() -> pagesAndPaths(check, schema, source, paths), QUICK_CHECK);
            }
            List<Bank> banks = banks(db, source, problems);
            AllocationTable table = new AllocationTable(count(db, "tag"), row -> null);
            AllocationIndex.Builder index = AllocationIndex.builder(table.banks.length);
            long[] ids = validate || opened.size() < 2 ? tags(db, table, "") : tagsInHalves(db, opened.get(1), table);
            AllocationTable described = describedBy(db, table, ids);
            if (validate) {
                duplicates(db, problems);
                textAndRanges(db, schema, problems);
                problems.addAll(StandardViews.differing(db, schema, source));
                if (schema >= Schema.WRITE_ROLES) {
                    writeRoles(db, problems);
                }
            }
            List<AlarmDefinition> alarms = new ArrayList<>();
            AllocationTable flags = alarms(db, schema, version, contributedFrom, banks, alarms, problems);
            Problem damage = damaged.join();
            if (damage != null) {
                problems.clear();
                problems.add(damage);
            } else {
                problems.addAll(paths);
            }
            if (validate) {
                Validator validator = new Validator(banks, problems);
                validator.check(described);
                validator.check(flags);
                if (validator.suppressed() > 0) {
                    problems.add(new Problem(Kind.MALFORMED, validator.suppressed() + " more problems are not listed",
                            List.of(source)));
                }
            }
            if (!problems.isEmpty()) {
                opened.forEach(ConnectionPool::closeQuietly);
                return new Result(null, report(source, table.size, alarms.size(), problems, started));
            }
            for (int row = 0; row < table.size; row++) {
                index.add(ids[row], new Allocation(table.banks[row], table.offsets[row], table.bits[row], table.type(row),
                        table.lengths[row]));
            }
            LoadedRegistry registry = new LoadedRegistry(version, source, file, schema, banks, index.build(), alarms,
                    new ConnectionPool(opened, waitMillis));
            return new Result(registry, report(source, table.size, alarms.size(), problems, started));
        } catch (SQLException e) {
            opened.forEach(ConnectionPool::closeQuietly);
            problems.add(new Problem(Kind.INTEGRITY, "cannot read it: " + Sqlite.describe(e), List.of(source)));
            return new Result(null, report(source, 0, 0, problems, started));
        } catch (RuntimeException e) {
            // A value no check above foresaw: the file is invalid, and nothing it opened may stay open
            // (the poll would otherwise leak a copy's connections, and its disk space, every interval).
            opened.forEach(ConnectionPool::closeQuietly);
            problems.clear();
            problems.add(new Problem(Kind.MALFORMED, "it holds a value RMA Nexus cannot read ("
                    + (e.getMessage() == null ? "unexpected" : e.getMessage()) + ")", List.of(source)));
            return new Result(null, report(source, 0, 0, problems, started));
        } finally {
            if (checker != null && !opened.contains(checker)) {
                ConnectionPool.closeQuietly(checker);
            }
        }
    }

    /** Runs the loader's second thread (the quick check, or half the tags); a daemon thread, so it never holds the JVM. */
    private static final java.util.concurrent.Executor QUICK_CHECK = task -> {
        Thread thread = new Thread(task, "nexus-registry-check");
        thread.setDaemon(true);
        thread.start();
    };

    private static ValidationReport report(String source, int tags, int alarms, List<Problem> problems, long started) {
        return new ValidationReport(source, tags, alarms, problems, (System.nanoTime() - started) / 1_000_000);
    }

    /** @return the file's schema version, when it has no integrity problem */
    private static int integrity(Connection db, String source, List<Problem> problems) {
        try (Statement statement = db.createStatement()) {
            int application;
            try (ResultSet row = statement.executeQuery("PRAGMA application_id")) {
                application = row.next() ? row.getInt(1) : 0;
            }
            if (application != Schema.APPLICATION_ID) {
                problems.add(new Problem(Kind.INTEGRITY, String.format("it is an SQLite database but not an RMA Nexus"
                        + " registry (application_id 0x%08X, expected 0x%08X)", application, Schema.APPLICATION_ID),
                        List.of(source)));
                return 0;
            }
            int version;
            try (ResultSet row = statement.executeQuery("PRAGMA user_version")) {
                version = row.next() ? row.getInt(1) : 0;
            }
            if (version < Schema.OLDEST || version > Schema.VERSION) {
                problems.add(new Problem(Kind.INTEGRITY, "it has schema version " + version + "; this RMA Nexus reads"
                        + " versions " + Schema.OLDEST + " to " + Schema.VERSION, List.of(source)));
            }
            return version;
        } catch (SQLException e) {
            problems.add(new Problem(Kind.INTEGRITY, "it is not an SQLite database, or it is truncated or damaged: "
                    + Sqlite.describe(e), List.of(source)));
            return 0;
        }
    }

    /** {@link #quickCheck}, then, on a sound file, {@link PathChecks} into {@code paths}. @return the damage, or null */
    private static Problem pagesAndPaths(Connection db, int schema, String source, List<Problem> paths) {
        Problem damage = quickCheck(db, source);
        if (damage != null) {
            return damage;
        }
        try {
            PathChecks.check(db, schema, paths);
            return null;
        } catch (SQLException e) {
            return new Problem(Kind.INTEGRITY, "cannot read it: " + Sqlite.describe(e), List.of(source));
        }
    }

    /** {@code PRAGMA quick_check}: every page and index of the file is sound. @return the problem, or null */
    private static Problem quickCheck(Connection db, String source) {
        List<String> check = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery("PRAGMA quick_check(10)")) {
            while (row.next()) {
                check.add(row.getString(1));
            }
        } catch (SQLException e) {
            check.add(Sqlite.describe(e));
        }
        return check.equals(List.of("ok")) ? null
                : new Problem(Kind.INTEGRITY, "it is damaged (PRAGMA quick_check): " + String.join("; ", check), List.of(source));
    }

    private static int count(Connection db, String table) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery("SELECT count(*) FROM " + table)) {
            return row.next() ? row.getInt(1) : 0;
        }
    }

    private static List<Bank> banks(Connection db, String source, List<Problem> problems) throws SQLException {
        List<Bank> banks = new ArrayList<>();
        try (Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery("SELECT id, name, size FROM bank ORDER BY id")) {
            while (row.next()) {
                int id = row.getInt(1);
                if (id != banks.size()) {
                    problems.add(new Problem(Kind.MALFORMED, "bank ids must be 0, 1, 2, … in order: found " + id
                            + " where " + banks.size() + " belongs", List.of(source + " bank " + row.getString(2))));
                    return banks;
                }
                try {
                    banks.add(new Bank(id, row.getString(2), row.getInt(3)));
                } catch (nexus.core.NexusException e) {
                    problems.add(new Problem(Kind.MALFORMED, e.getMessage(), List.of(source + " bank " + id)));
                }
            }
        }
        return banks;
    }

    /**
     * Reads every tag's allocation as {@link #tags} does, the first half of the ids on another thread and
     * connection: without validation (a reused last good copy) the second core has nothing else to do,
     * and reading a million rows through the driver is most of the load.
     */
    private static long[] tagsInHalves(Connection db, Connection other, AllocationTable table) throws SQLException {
        long split;
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT id FROM tag ORDER BY id LIMIT 1 OFFSET " + table.banks.length / 2)) {
            if (!row.next()) {
                return tags(db, table, "");
            }
            split = row.getLong(1);
        }
        AllocationTable first = new AllocationTable(table.banks.length / 2 + 1, row -> null);
        CompletableFuture<long[]> firstIds = CompletableFuture.supplyAsync(() -> {
            try {
                return tags(other, first, " WHERE id < " + split);
            } catch (SQLException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, QUICK_CHECK);
        long[] secondIds = tags(db, table, " WHERE id >= " + split);
        long[] ids;
        try {
            ids = firstIds.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof SQLException cause) {
                throw cause;
            }
            throw e;
        }
        int second = table.size;
        long[] all = java.util.Arrays.copyOf(ids, first.size + second);
        System.arraycopy(secondIds, 0, all, first.size, second);
        for (int row = 0; row < second; row++) {
            first.add(table.banks[row], table.offsets[row], table.bits[row], table.type(row), table.lengths[row]);
        }
        table.takeRows(first);
        return all;
    }

    /** Reads the allocation of every tag (or of those {@code where} selects) into the table; @return the tag ids by row */
    private static long[] tags(Connection db, AllocationTable table, String where) throws SQLException {
        long[] ids = new long[Math.max(16, table.banks.length)];
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT id, type, bank_id, byte_offset, bit_offset, length FROM tag" + where + " ORDER BY id")) {
            while (row.next()) {
                RmaType type;
                try {
                    type = RmaType.valueOf(row.getString(2));
                } catch (IllegalArgumentException | NullPointerException e) {
                    type = null;
                }
                if (table.size == ids.length) {
                    ids = java.util.Arrays.copyOf(ids, ids.length * 2);
                }
                ids[table.size] = row.getLong(1);
                table.add(row.getInt(3), row.getInt(4), row.getInt(5), type, row.getInt(6));
            }
        }
        return ids;
    }

    /** The same table, describing a row by the tag's path and address (looked up only for problems). */
    private static AllocationTable describedBy(Connection db, AllocationTable table, long[] ids) {
        AllocationTable described = new AllocationTable(0, row -> describe(db, ids[row]));
        described.takeRows(table);
        return described;
    }

    private static String describe(Connection db, long id) {
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT path, type, bank_id, byte_offset, bit_offset, length FROM tag WHERE id = ?")) {
            statement.setLong(1, id);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return "tag " + id;
                }
                String type = row.getString(2);
                String where = "bank " + row.getInt(3) + " byte " + row.getInt(4)
                        + ("BOOL".equals(type) ? " bit " + row.getInt(5) : "..+" + row.getInt(6));
                return row.getString(1) + " (tag " + id + ", " + type + " at " + where + ")";
            }
        } catch (SQLException e) {
            return "tag " + id;
        }
    }

    /** The longest tag path or alarm name, in UTF-8 bytes: far beyond any real namespace, short enough for every record. */
    static final int MAX_NAME_BYTES = nexus.core.TagPath.MAX_BYTES;

    /** Paths and names of a sane length; engineering ranges that are finite and in order. */
    private static void textAndRanges(Connection db, int schema, List<Problem> problems) throws SQLException {
        String tooLong = "length(CAST(%s AS BLOB)) > " + MAX_NAME_BYTES;
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT id, substr(path, 1, 80) FROM tag WHERE " + tooLong.formatted("path") + " LIMIT 100")) {
            while (row.next()) {
                problems.add(new Problem(Kind.MALFORMED, "tag " + row.getLong(1) + " has a path longer than "
                        + MAX_NAME_BYTES + " bytes", List.of(row.getString(2) + "…")));
            }
        }
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT id, substr(name, 1, 80) FROM alarm WHERE " + tooLong.formatted("name") + " LIMIT 100")) {
            while (row.next()) {
                problems.add(new Problem(Kind.MALFORMED, "alarm " + row.getLong(1) + " has a name longer than "
                        + MAX_NAME_BYTES + " bytes", List.of(row.getString(2) + "…")));
            }
        }
        if (schema >= Schema.CONTRIBUTED_ALARMS) {
            try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(
                    "SELECT name, substr(tag_path, 1, 80) FROM alarm WHERE " + tooLong.formatted("tag_path") + " LIMIT 100")) {
                while (row.next()) {
                    problems.add(new Problem(Kind.MALFORMED, "alarm " + row.getString(1) + " watches a contributed tag"
                            + " whose path is longer than " + MAX_NAME_BYTES + " bytes: no tag can have it",
                            List.of(row.getString(2) + "…")));
                }
            }
        }
        String infinite = "(%1$s IS NOT NULL AND abs(%1$s) > 1.7976931348623157e308)";
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT path, eng_low, eng_high FROM tag WHERE " + infinite.formatted("eng_low") + " OR "
                        + infinite.formatted("eng_high") + " OR (eng_low IS NOT NULL AND eng_high IS NOT NULL"
                        + " AND eng_low > eng_high) LIMIT 100")) {
            while (row.next()) {
                problems.add(new Problem(Kind.MALFORMED, "tag " + row.getString(1) + " has the engineering range "
                        + row.getString(2) + " to " + row.getString(3) + ": a range is two finite numbers, low <= high",
                        List.of(row.getString(1))));
            }
        }
    }

    /** Write roles that are role names, on writable tags only (a read-only tag's write roles would mean nothing). */
    private static void writeRoles(Connection db, List<Problem> problems) throws SQLException {
        int found = 0;
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT id, path, writable, write_roles FROM tag WHERE write_roles IS NOT NULL ORDER BY id")) {
            while (row.next() && found < 100) {
                String where = row.getString(2) + " (tag " + row.getLong(1) + ")";
                String stored = row.getString(4);
                var wrong = WriteRoles.problem(stored);
                if (wrong.isPresent()) {
                    problems.add(new Problem(Kind.MALFORMED, wrong.get(), List.of(where)));
                    found++;
                } else if (row.getInt(3) == 0) {
                    problems.add(new Problem(Kind.MALFORMED, "tag " + row.getString(2) + " names write_roles '" + stored
                            + "' but is not writable: make it writable, or set write_roles to NULL", List.of(where)));
                    found++;
                }
            }
        }
    }

    private static void duplicates(Connection db, List<Problem> problems) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet unique = statement.executeQuery(
                "SELECT 1 FROM pragma_index_list('tag') WHERE \"unique\" = 1 AND name IN"
                        + " (SELECT name FROM pragma_index_list('tag') il WHERE (SELECT group_concat(name) FROM"
                        + " pragma_index_info(il.name)) = 'path')")) {
            if (unique.next()) {
                return; // a UNIQUE index on path, found sound by quick_check, rules duplicates out
            }
        }
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT path, group_concat(id, ', ') FROM tag GROUP BY path HAVING count(*) > 1 LIMIT 1000")) {
            while (row.next()) {
                problems.add(new Problem(Kind.DUPLICATE_PATH, "path '" + row.getString(1) + "' is used by several tags",
                        List.of("tags " + row.getString(2))));
            }
        }
    }

    /**
     * Reads the alarm definitions. An alarm on a file tag must find it and fit its type, or the version
     * is invalid. An alarm on a contributed tag (schema 3) is found by path in this version: when the
     * version has no such tag, or one of a type it cannot watch, the version is still valid and the
     * definition says why the alarm cannot be evaluated ({@link AlarmDefinition#tagProblem}).
     */
    private static AllocationTable alarms(Connection db, int schema, long version, int contributedFrom,
            List<Bank> banks, List<AlarmDefinition> alarms, List<Problem> problems) throws SQLException {
        List<String> names = new ArrayList<>();
        AllocationTable flags = new AllocationTable(16, row -> "flags of alarm " + names.get(row));
        boolean byPath = schema >= Schema.CONTRIBUTED_ALARMS;
        String sql = "SELECT a.id, a.name, a.tag_id, a.condition, a.limit_value, a.deadband, a.severity, a.requires_ack,"
                + " a.latching, a.on_delay_ms, a.off_delay_ms, a.max_shelve_s, a.message, a.flag_bank_id, a.flag_byte,"
                + (byPath ? " CASE WHEN a.tag_path IS NULL THEN t.type ELSE tc.type END, coalesce(a.tag_path, t.path),"
                        + " a.tag_path, tc.id, tc.bank_id FROM alarm a LEFT JOIN tag t ON t.id = a.tag_id"
                        + " LEFT JOIN tag tc ON tc.path = a.tag_path"
                        : " t.type, t.path, NULL, NULL, NULL FROM alarm a LEFT JOIN tag t ON t.id = a.tag_id")
                + " ORDER BY a.id";
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                String name = row.getString(2);
                String where = "alarm " + name + " (alarm " + row.getLong(1) + ")";
                names.add(name);
                flags.add(row.getInt(14), row.getInt(15), 0, RmaType.UINT8, 1);
                if (name == null) {
                    problems.add(new Problem(Kind.MALFORMED, "alarm " + row.getLong(1) + " has no name", List.of(where)));
                    continue;
                }
                String contributedPath = row.getString(18);
                boolean contributed = contributedPath != null;
                String tagType = row.getString(16);
                if (contributed && row.getObject(3) != null && (row.getObject(19) == null || row.getLong(3) != row.getLong(19))) {
                    problems.add(new Problem(Kind.MALFORMED, "alarm " + name + " watches contributed tag " + contributedPath
                            + " but its tag_id " + row.getObject(3) + " is not that tag's id: an alarm on a contributed tag"
                            + " has tag_id NULL in the registry file", List.of(where)));
                    continue;
                }
                if (contributed && row.getObject(19) != null && row.getInt(20) < contributedFrom) {
                    problems.add(new Problem(Kind.INCONSISTENT_ALARM, "alarm " + name + " watches contributed tag "
                            + contributedPath + ", but the registry file defines that path (tag " + row.getLong(19) + "): a"
                            + " contributed tag comes from a contribution; watch the file's tag by its id (not"
                            + " contributed), or give the file's tag another path", List.of(where)));
                    continue;
                }
                if (tagType == null && !contributed) {
                    problems.add(new Problem(Kind.DANGLING_ALARM, row.getObject(3) == null
                            ? "alarm " + name + " names no tag: give it a tag_id (a tag of the file) or, from schema version 3, a tag_path (a"
                                    + " contributed tag)"
                            : "alarm " + name + " watches tag " + row.getLong(3) + ", which does not exist", List.of(where)));
                    continue;
                }
                AlarmCondition condition;
                Severity severity;
                try {
                    condition = AlarmCondition.valueOf(row.getString(4).toUpperCase(Locale.ROOT));
                    severity = Severity.valueOf(row.getString(7).toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException | NullPointerException e) {
                    problems.add(new Problem(Kind.INCONSISTENT_ALARM, "alarm " + name + " has condition '" + row.getString(4)
                            + "' and severity '" + row.getString(7) + "'; one of them is unknown", List.of(where)));
                    continue;
                }
                int flagBank = row.getInt(14);
                if (flagBank < 0 || flagBank >= banks.size()) {
                    continue; // the validator reports the flag allocation's unknown bank
                }
                long tagId = contributed ? (row.getObject(19) == null ? AlarmDefinition.NO_TAG : row.getLong(19))
                        : row.getLong(3);
                AlarmDefinition alarm = new AlarmDefinition(row.getLong(1), name, tagId, condition,
                        TagLookups.nullableDouble(row, 5), row.getDouble(6), severity, row.getInt(8) != 0,
                        row.getInt(9) != 0, row.getLong(10), row.getLong(11), row.getLong(12), row.getString(13),
                        Allocation.of(flagBank, Math.max(0, row.getInt(15)), RmaType.UINT8), row.getString(17),
                        contributed, null);
                RmaType type;
                try {
                    type = tagType == null ? null : RmaType.valueOf(tagType);
                } catch (IllegalArgumentException e) {
                    continue; // the tag's unknown type is reported with the tag
                }
                // What does not depend on the tag is the file's to get right, contributed or not.
                String why = AlarmChecks.inconsistency(alarm, null);
                if (why == null && !contributed) {
                    why = AlarmChecks.inconsistency(alarm, type);
                }
                if (why != null) {
                    problems.add(new Problem(Kind.INCONSISTENT_ALARM, why, List.of(where)));
                    continue;
                }
                alarms.add(contributed ? ContributedAlarms.resolve(alarm, type, version) : alarm);
            }
        }
        return flags;
    }
}
