package nexus.query.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.registry.AllocationIndex;
import nexus.registry.Registry;

/**
 * Runs one checked SELECT for the {@link QueryEngine}: on a read-only connection to the served
 * version's private copy (scoped views for a caller who does not see everything), every value bound,
 * within the caller's row cap and time limit, under admission's long-query rule, and within the bound
 * on one answer's bytes; SQLite's errors become the node's codes and words. Thread-safe.
 */
final class SqlRunner {

    /** Why a running statement was cancelled. */
    private enum Stop {
        NONE, TIME_LIMIT, TOO_MANY_LONG
    }

    private static final Logger LOG = LoggerFactory.getLogger(SqlRunner.class);

    /**
     * The most text and bytes one answer may hold (characters of text cells, bytes of blobs, 16 for any
     * other cell). Every row is held in memory before the answer is written, and SQLite can build a
     * value of up to 10 MB per cell (hex(hex(...))), so without this bound one query within every limit
     * of the guard filled the heap. Four queries run at once: 4 x 32 MiB stays well inside the 512 MB
     * heap ./nexus gives the JVM; a 10,000-row answer of the demo plant's tag metadata is about 2 MB.
     */
    static final long ANSWER_BYTES_MAX = 32L << 20;

    private final RegistrySql pool;
    private final ScheduledExecutorService timer;
    private final Admission admission;

    SqlRunner(RegistrySql pool, ScheduledExecutorService timer, Admission admission) {
        this.pool = pool;
        this.timer = timer;
        this.admission = admission;
    }

    /** @return the rows the SELECT answers, at most {@code limit} (more: {@code truncated}) */
    QueryEngine.Rows run(Registry registry, PathScope scope, String sql, List<Object> params, int limit, long timeoutMillis,
            Admission.Ticket ticket) {
        // Always prepared: a placeholder is bound to its value, never left to SQLite's silent NULL.
        Stop[] stopped = { Stop.NONE };
        try (CopyPool.Borrowed borrowed = pool.borrow(registry, scope);
                PreparedStatement statement = borrowed.db().prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                statement.setObject(i + 1, params.get(i));
            }
            statement.setMaxRows(limit + 1);
            Object lock = new Object();
            boolean[] done = { false };
            ScheduledFuture<?> deadline = timer.schedule(() -> {
                synchronized (lock) {
                    if (!done[0]) {
                        stopped[0] = Stop.TIME_LIMIT;
                        cancel(statement);
                    }
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
            // A query still running after long.after needs a long permit, or it is stopped: at least
            // one slot keeps serving short queries.
            ScheduledFuture<?> longCheck = admission.longAfterMillis() >= timeoutMillis ? null : timer.schedule(() -> {
                synchronized (lock) {
                    if (!done[0] && !ticket.becomeLong()) {
                        stopped[0] = Stop.TOO_MANY_LONG;
                        cancel(statement);
                    }
                }
            }, admission.longAfterMillis(), TimeUnit.MILLISECONDS);
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                int count = meta.getColumnCount();
                List<String> columns = new ArrayList<>(count);
                int tagColumn = -1;
                for (int c = 1; c <= count; c++) {
                    String label = meta.getColumnLabel(c);
                    columns.add(label);
                    if (tagColumn < 0 && isTagId(meta.getTableName(c), label)) {
                        tagColumn = c;
                    }
                }
                AllocationIndex index = registry.index();
                List<Object[]> cells = new ArrayList<>();
                int[] positions = new int[64];
                boolean truncated = false;
                long bytes = 0;
                while (rs.next()) {
                    if (cells.size() == limit) {
                        truncated = true;
                        break;
                    }
                    Object[] row = new Object[count];
                    for (int c = 1; c <= count; c++) {
                        Object cell = rs.getObject(c);
                        row[c - 1] = cell instanceof Integer i ? Long.valueOf(i) : cell;
                        bytes += cell instanceof String text ? text.length() : cell instanceof byte[] blob ? blob.length : 16;
                    }
                    if (bytes > ANSWER_BYTES_MAX) {
                        throw new NexusException(ErrorCode.QUERY_REJECTED, "the answer would be larger than "
                                + (ANSWER_BYTES_MAX >> 20) + " MiB (at row " + (cells.size() + 1) + "): select fewer or"
                                + " shorter columns, or fewer rows (a WHERE, a LIMIT)");
                    }
                    if (cells.size() == positions.length) {
                        positions = Arrays.copyOf(positions, positions.length * 2);
                    }
                    positions[cells.size()] = tagColumn > 0 && row[tagColumn - 1] instanceof Long id ? index.position(id) : -1;
                    cells.add(row);
                }
                return new QueryEngine.Rows(columns, cells, Arrays.copyOf(positions, cells.size()), truncated, tagColumn > 0);
            } finally {
                synchronized (lock) {
                    done[0] = true;
                }
                deadline.cancel(false);
                if (longCheck != null) {
                    longCheck.cancel(false);
                }
            }
        } catch (SQLException e) {
            if (stopped[0] == Stop.TOO_MANY_LONG && ticket.refusal() != null) {
                throw ticket.refusal();
            }
            throw translate(e);
        }
    }

    /** A tag id column: {@code id} from the tags view, or {@code tag_id} from tag_properties or alarms. */
    static boolean isTagId(String table, String label) {
        String t = table == null ? "" : table.toLowerCase(Locale.ROOT);
        String l = label == null ? "" : label.toLowerCase(Locale.ROOT);
        return t.equals("tag") && l.equals("id") || (t.equals("tag_property") || t.equals("alarm")) && l.equals("tag_id");
    }

    /** SQLite's words for a registry copy that cannot be read: damage or I/O, never the query's fault. */
    private static final List<String> STORAGE_FAILURES = List.of("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_IOERR",
            "SQLITE_CANTOPEN", "SQLITE_FULL", "disk image is malformed", "file is not a database", "disk I/O error",
            "unable to open database file", "database or disk is full");

    static NexusException translate(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        for (String failure : STORAGE_FAILURES) {
            if (message.contains(failure)) {
                LOG.warn("A query could not read the registry copy it was given: {}", message);
                // Never the client's fault, and the message names a file path: say where to look instead.
                return new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the registry copy of this version cannot be"
                        + " read: see /health", e);
            }
        }
        if (message.contains("interrupted") || message.contains("SQLITE_INTERRUPT")) {
            return new NexusException(ErrorCode.QUERY_TIMEOUT, "the query ran longer than its time limit and was"
                    + " stopped: narrow it (a WHERE on path, a LIMIT)");
        }
        int open = message.indexOf('(');
        int close = message.lastIndexOf(')');
        String why = open >= 0 && close > open ? message.substring(open + 1, close) : message;
        if (message.contains("SQLITE_TOOBIG") || why.contains("too big")) {
            return new NexusException(ErrorCode.QUERY_REJECTED, "the query builds a value larger than allowed: " + why);
        }
        return new NexusException(ErrorCode.QUERY_REJECTED, why);
    }

    private static void cancel(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException e) {
            // the statement finished or closed meanwhile: nothing left to stop
        }
    }
}
