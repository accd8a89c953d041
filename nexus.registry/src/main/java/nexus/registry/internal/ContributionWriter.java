package nexus.registry.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nexus.core.NexusException;
import nexus.core.TagPath;
import nexus.registry.Contribution;
import nexus.registry.Contribution.ContributedBank;
import nexus.registry.Problem;
import nexus.registry.Problem.Kind;
import nexus.registry.Tag;
import nexus.rma.Bank;

/**
 * Writes contributions into a private copy of the registry file's content, in one transaction:
 * their banks get the ids after the file's highest bank id, their tags the ids after its highest
 * tag id, both in contribution order; alarms on contributed tags get the id their path has now. A
 * contributed tag whose path the copy already has (from the file, or from an earlier contribution),
 * or whose path is no tag path ({@link TagPath}), is left out and reported. A malformed contribution (a bank
 * name that is invalid or taken, a memory without the bank or too small for it, an allocation naming
 * no contributed bank) writes nothing at all. Overlaps and bank bounds are the loader's to check.
 */
final class ContributionWriter {

    /** Tags inserted per batch; the properties of a batch follow once its inserts are known. */
    private static final int BATCH = 10_000;

    /** Left-out paths listed one by one; more are counted in one last problem. */
    private static final int LISTED = 100;

    /**
     * What was written.
     *
     * @param malformed why nothing was written; empty when the contributions were written
     * @param leftOut   the contributed tags left out because their path was taken
     * @param firstBank the id of the first contributed bank
     * @param banks     the contributed banks, by id from {@code firstBank}
     * @param tags      how many contributed tags were written
     */
    record Written(List<Problem> malformed, List<Problem> leftOut, int firstBank, List<ContributedBank> banks, int tags) {
    }

    private ContributionWriter() {
    }

    /**
     * Checks what can be checked without the registry: bank names, memories and allocation indexes.
     *
     * @return every problem, each naming the owner; empty when the contribution is well formed
     */
    static List<Problem> malformed(Contribution contribution) {
        List<Problem> problems = new ArrayList<>();
        String owner = contribution.owner();
        if (owner.isBlank()) {
            problems.add(new Problem(Kind.MALFORMED, "a contribution needs an owner: name the contributing bundle",
                    List.of("contribution")));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < contribution.banks().size(); i++) {
            ContributedBank bank = contribution.banks().get(i);
            String where = "contribution " + owner + " bank " + i + " '" + bank.name() + "'";
            try {
                new Bank(0, bank.name(), bank.size());
            } catch (NexusException e) {
                problems.add(new Problem(Kind.MALFORMED, e.getMessage(), List.of(where)));
                continue;
            }
            if (!names.add(bank.name())) {
                problems.add(new Problem(Kind.MALFORMED, "bank name '" + bank.name() + "' is given twice: each"
                        + " contributed bank needs its own name", List.of(where)));
            }
            Bank held = bank.memory().bank(bank.memoryBank()).orElse(null);
            if (held == null) {
                problems.add(new Problem(Kind.UNKNOWN_BANK, "its memory (" + bank.memory().name() + ") has no bank "
                        + bank.memoryBank() + ": point memoryBank at one of its " + bank.memory().banks().size()
                        + " banks", List.of(where)));
            } else if (held.size() < bank.size()) {
                problems.add(new Problem(Kind.OUT_OF_BOUNDS, "it needs " + bank.size() + " bytes but bank "
                        + bank.memoryBank() + " of its memory has " + held.size() + ": give the bank its memory's size"
                        + " or less", List.of(where)));
            }
        }
        int listed = 0;
        for (Tag tag : contribution.tags()) {
            int bank = tag.allocation().bank();
            if (bank < 0 || bank >= contribution.banks().size()) {
                if (listed++ < LISTED) {
                    int banks = contribution.banks().size();
                    problems.add(new Problem(Kind.UNKNOWN_BANK, "tag " + tag.path() + " is allocated in bank " + bank
                            + " of the contribution, which has " + (banks == 0 ? "no banks" : "banks 0.." + (banks - 1))
                            + ": a tag's allocation names its bank by its index in the contribution's banks",
                            List.of("contribution " + owner + " " + tag.path())));
                }
            }
        }
        if (listed > LISTED) {
            problems.add(new Problem(Kind.UNKNOWN_BANK, (listed - LISTED) + " more tags are allocated outside the"
                    + " contribution's banks", List.of("contribution " + owner)));
        }
        return problems;
    }

    /**
     * Writes the contributions, in the order given, into {@code copy} (a private copy the caller owns).
     *
     * @throws SQLException when the copy cannot be read or written; nothing is then committed
     */
    static Written write(Path copy, Collection<Contribution> contributions) throws SQLException {
        List<Problem> malformed = new ArrayList<>();
        for (Contribution contribution : contributions) {
            malformed.addAll(malformed(contribution));
        }
        try (Connection db = Sqlite.create(copy)) {
            int schema = (int) single(db, "PRAGMA user_version");
            int firstBank = (int) single(db, "SELECT coalesce(max(id), -1) + 1 FROM bank");
            long firstTag = single(db, "SELECT coalesce(max(id), 0) + 1 FROM tag");
            Set<String> taken = new HashSet<>();
            try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery("SELECT name FROM bank")) {
                while (row.next()) {
                    taken.add(row.getString(1));
                }
            }
            List<ContributedBank> banks = new ArrayList<>();
            for (Contribution contribution : contributions) {
                for (ContributedBank bank : contribution.banks()) {
                    if (!taken.add(bank.name())) {
                        malformed.add(new Problem(Kind.MALFORMED, "bank name '" + bank.name() + "' is taken by the"
                                + " registry file or an earlier contribution: choose another",
                                List.of("contribution " + contribution.owner() + " bank '" + bank.name() + "'")));
                    }
                    banks.add(bank);
                }
            }
            if (!malformed.isEmpty()) {
                return new Written(malformed, List.of(), firstBank, List.of(), 0);
            }
            db.setAutoCommit(false);
            insertBanks(db, firstBank, banks);
            List<Problem> leftOut = new ArrayList<>();
            int written = insertTags(db, schema, firstBank, firstTag, contributions, leftOut);
            analyze(db);
            if (schema >= Schema.CONTRIBUTED_ALARMS) {
                resolveAlarms(db);
            }
            db.commit();
            return new Written(List.of(), leftOut, firstBank, banks, written);
        }
    }

    private static void insertBanks(Connection db, int firstBank, List<ContributedBank> banks) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO bank (id, name, size) VALUES (?, ?, ?)")) {
            for (int i = 0; i < banks.size(); i++) {
                insert.setInt(1, firstBank + i);
                insert.setString(2, banks.get(i).name());
                insert.setInt(3, banks.get(i).size());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** @return how many tags were written; {@code leftOut} gets the ones whose path was taken */
    private static int insertTags(Connection db, int schema, int firstBank, long firstTag,
            Collection<Contribution> contributions, List<Problem> leftOut) throws SQLException {
        boolean roles = schema >= Schema.WRITE_ROLES;
        // OR IGNORE: the UNIQUE path index answers "is this path taken?" for every row, in the insert itself
        String sql = "INSERT OR IGNORE INTO tag (id, path, type, bank_id, byte_offset, bit_offset, length, unit,"
                + " description, writable, eng_low, eng_high" + (roles ? ", write_roles) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
                        : ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
        long id = firstTag;
        int written = 0;
        int left = 0;
        int bankBase = firstBank;
        try (PreparedStatement tag = db.prepareStatement(sql);
                PreparedStatement property = db.prepareStatement(
                        "INSERT INTO tag_property (tag_id, key, value) VALUES (?, ?, ?)")) {
            for (Contribution contribution : contributions) {
                List<Tag> tags = wellNamed(contribution, leftOut);
                for (int start = 0; start < tags.size(); start += BATCH) {
                    List<Tag> batch = tags.subList(start, Math.min(tags.size(), start + BATCH));
                    for (int i = 0; i < batch.size(); i++) {
                        bind(tag, id + i, batch.get(i), bankBase, roles);
                        tag.addBatch();
                    }
                    int[] inserted = tag.executeBatch();
                    for (int i = 0; i < batch.size(); i++) {
                        Tag t = batch.get(i);
                        if (inserted[i] == 0) {
                            if (left++ < LISTED) {
                                leftOut.add(new Problem(Kind.DUPLICATE_PATH, "tag " + t.path() + " of contribution "
                                        + contribution.owner() + " is left out: the registry file or an earlier"
                                        + " contribution has its path", List.of(t.path() + " (" + contribution.owner() + ")")));
                            }
                            continue;
                        }
                        written++;
                        for (Map.Entry<String, String> p : t.properties().entrySet()) {
                            property.setLong(1, id + i);
                            property.setString(2, p.getKey());
                            property.setString(3, p.getValue());
                            property.addBatch();
                        }
                    }
                    property.executeBatch();
                    id += batch.size();
                }
                bankBase += contribution.banks().size();
            }
        }
        if (left > LISTED) {
            leftOut.add(new Problem(Kind.DUPLICATE_PATH, (left - LISTED) + " more contributed tags are left out for"
                    + " their paths", List.of("contributions")));
        }
        return written;
    }

    /**
     * Refreshes the planner's statistics: the file's (an import runs ANALYZE) describe the file alone,
     * and a plan made for "one tag" over a mirror of 50,000 scans the tags once per row of a join or
     * correlated lookup — the alarms' resolution, the loader's alarm join and users' SQL alike. A
     * bounded sample keeps it to milliseconds.
     */
    private static void analyze(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute("PRAGMA analysis_limit = 1000");
            statement.execute("ANALYZE");
        }
    }

    /**
     * A contributed tag whose path is no tag path ({@link TagPath}) is left out and reported, as one
     * whose path is taken: one bad metric name must never make the whole version invalid (every
     * mirror would freeze with it).
     *
     * @return the contribution's tags that have a tag path, in order
     */
    private static List<Tag> wellNamed(Contribution contribution, List<Problem> leftOut) {
        List<Tag> tags = contribution.tags();
        int bad = 0;
        List<Tag> kept = null;
        for (int i = 0; i < tags.size(); i++) {
            Tag t = tags.get(i);
            String problem = TagPath.problem(t.path());
            if (problem == null) {
                if (kept != null) {
                    kept.add(t);
                }
                continue;
            }
            if (kept == null) {
                kept = new ArrayList<>(tags.subList(0, i));
            }
            if (bad++ < LISTED) {
                String shown = PathChecks.printable(t.path());
                leftOut.add(new Problem(Kind.MALFORMED, "tag " + shown + " of contribution " + contribution.owner()
                        + " is left out: its path is no tag path (" + problem + ")",
                        List.of(shown + " (" + contribution.owner() + ")")));
            }
        }
        if (bad > LISTED) {
            leftOut.add(new Problem(Kind.MALFORMED, (bad - LISTED) + " more tags of contribution " + contribution.owner()
                    + " are left out: their paths are no tag paths", List.of("contribution " + contribution.owner())));
        }
        return kept == null ? tags : kept;
    }

    /**
     * Points every alarm on a contributed tag at the id its path has in this copy (NULL when no
     * contribution has it), so that the view {@code alarms} and the scoped views see it as any alarm.
     */
    private static void resolveAlarms(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.executeUpdate("UPDATE alarm SET tag_id = (SELECT id FROM tag WHERE path = alarm.tag_path)"
                    + " WHERE tag_path IS NOT NULL");
        }
    }

    private static void bind(PreparedStatement tag, long id, Tag t, int bankBase, boolean roles) throws SQLException {
        var a = t.allocation();
        tag.setLong(1, id);
        tag.setString(2, t.path());
        tag.setString(3, a.type().name());
        tag.setInt(4, bankBase + a.bank());
        tag.setInt(5, a.byteOffset());
        tag.setInt(6, a.bitOffset());
        tag.setInt(7, a.length());
        tag.setString(8, t.unit());
        tag.setString(9, t.description());
        tag.setInt(10, t.writable() ? 1 : 0);
        setDouble(tag, 11, t.engLow());
        setDouble(tag, 12, t.engHigh());
        if (roles) {
            tag.setString(13, WriteRoles.format(t.writeRoles()));
        }
    }

    private static void setDouble(PreparedStatement statement, int index, Double value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.REAL);
        } else {
            statement.setDouble(index, value);
        }
    }

    private static long single(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getLong(1) : 0;
        }
    }
}
