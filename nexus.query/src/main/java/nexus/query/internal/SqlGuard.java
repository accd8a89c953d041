package nexus.query.internal;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.ArrayConstructor;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The first line of defence: only one SELECT (joins, subqueries, UNION and non-recursive CTEs are
 * fine) over the registry's public views, named without a schema, calling only allowed functions,
 * gets through to SQLite.
 * Everything else is refused with {@code QUERY_REJECTED} and a message that says what and why;
 * so is a text longer, deeper or with longer operator chains than the bounds of {@link SqlShape}.
 * Behind it: read-only connections with {@code query_only}, SQLite limits, a time limit and a row cap.
 */
final class SqlGuard {

    /** The views users may query. */
    static final Set<String> VIEWS = Set.of("tags", "tag_properties", "banks", "alarms");

    /**
     * The other names SQLite resolves on a query connection: the registry's tables behind the views,
     * and a scoped connection's TEMP tables ({@link ScopeViews}); besides these, every name starting
     * with {@code sqlite_} (the schema, {@code sqlite_stat1}, {@code sqlite_stat4}). A WITH query may
     * not take one of them: a reference to it outside the WITH's scope would reach the table itself.
     */
    static final Set<String> HIDDEN = Set.of("tag", "tag_property", "alarm", "bank", "scope", "scope_bank", "scope_alarm");

    /**
     * Functions that read and compute, and cannot write, load code, touch files, or build large
     * values from small SQL (no randomblob, zeroblob, printf/format, char-repeat tricks).
     */
    static final Set<String> FUNCTIONS = Set.of(
            "count", "sum", "total", "avg", "min", "max", "group_concat", "string_agg",
            "abs", "round", "sign", "ceil", "ceiling", "floor", "trunc", "sqrt", "power", "pow", "exp", "ln", "log",
            "log10", "log2", "mod", "pi", "sin", "cos", "tan",
            "lower", "upper", "length", "octet_length", "substr", "substring", "trim", "ltrim", "rtrim", "replace",
            "instr", "coalesce", "ifnull", "nullif", "iif", "typeof", "like", "glob", "unicode", "hex", "quote",
            "date", "time", "datetime", "julianday", "unixepoch", "strftime", "cast",
            // the namespace's glob rule, registered on the engine's connections (PathGlob)
            PathGlob.FUNCTION);

    private final int maxLength;
    private final ExecutorService parser;
    /**
     * SQL texts already accepted, with their placeholder count: both depend on the text alone, so a
     * repeat skips parsing. Kept apart per read scope all the same: a hit shows in the query's
     * {@code guardNanos}, which would tell a caller that someone else ran the text lately.
     */
    private final java.util.Map<Accepted, Integer> accepted = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<Accepted, Integer> eldest) {
                    return size() > 1_024;
                }
            });

    /**
     * @param maxLength the longest SQL text accepted, in characters
     * @param parser    runs the parser so that a pathological text can be timed out
     */
    SqlGuard(int maxLength, ExecutorService parser) {
        this.maxLength = maxLength;
        this.parser = parser;
    }

    /**
     * @return how many placeholder values the SQL needs (its highest placeholder number)
     * @throws NexusException QUERY_REJECTED saying what was rejected and why
     */
    int check(String sql) {
        return check(null, sql);
    }

    /**
     * @param scope the caller's read scope, which keeps its accepted texts apart from other scopes'
     * @return how many placeholder values the SQL needs (its highest placeholder number)
     * @throws NexusException QUERY_REJECTED saying what was rejected and why
     */
    int check(Object scope, String sql) {
        Accepted key = new Accepted(scope, sql);
        Integer known = sql == null ? null : accepted.get(key);
        if (known != null) {
            return known;
        }
        int placeholders = inspect(sql);
        accepted.put(key, placeholders);
        return placeholders;
    }

    /** A text accepted for callers of one read scope (null: the whole namespace). */
    private record Accepted(Object scope, String sql) {
    }

    private int inspect(String sql) {
        if (sql == null || sql.isBlank()) {
            throw rejected("no SQL given: send one SELECT statement, e.g. SELECT path FROM tags LIMIT 10");
        }
        if (sql.length() > maxLength) {
            throw rejected("the SQL is " + sql.length() + " characters; the limit is " + maxLength);
        }
        if (sql.indexOf('\0') >= 0) {
            throw rejected("the SQL contains a NUL character");
        }
        // Measured before parsing: the parser and the visitors recurse per nesting level and per
        // chained operator, and a deep enough text would exhaust the stack of the thread running them.
        SqlShape.check(sql);
        int placeholders = SqlShape.placeholders(sql);
        String first = firstWord(sql);
        if (!first.equals("SELECT") && !first.equals("WITH") && !first.equals("VALUES") && !first.equals("(")) {
            throw rejected((first.isEmpty() ? "this statement" : first) + " is not allowed: only SELECT statements can be run");
        }
        Statements statements;
        try {
            statements = CCJSqlParserUtil.parseStatements(sql, parser,
                    p -> p.withTimeOut(2_000).withAllowedNestingDepth(64));
        } catch (JSQLParserException e) {
            throw rejected(syntax(e, sql));
        } catch (RuntimeException | StackOverflowError e) {
            throw rejected("the SQL cannot be parsed: it is too deeply nested or too complex");
        }
        if (statements == null || statements.isEmpty()) {
            throw rejected("no statement found: send one SELECT statement");
        }
        if (statements.size() > 1) {
            throw rejected(statements.size() + " statements given: send exactly one SELECT statement");
        }
        Statement statement = statements.get(0);
        if (!(statement instanceof Select select)) {
            throw rejected(kind(statement) + " is not allowed: only SELECT statements can be run");
        }
        Inspector inspector = new Inspector();
        try {
            inspector.walk(select);
        } catch (StackOverflowError e) {
            // The shape bounds should make this unreachable; if a construct slips past them, the
            // query is refused like any other too complex for the guard.
            throw rejected("the SQL cannot be checked: it is too deeply nested or too complex");
        }
        if (inspector.schema != null) {
            throw rejected("schema " + inspector.schema + " is not queryable: query the views "
                    + String.join(", ", new TreeSet<>(VIEWS)) + " by their names alone");
        }
        if (inspector.recursive != null) {
            throw rejected("recursive CTEs are not allowed (WITH RECURSIVE " + inspector.recursive + ")");
        }
        for (String with : inspector.withNames) {
            if (!VIEWS.contains(with) && (HIDDEN.contains(with) || with.startsWith("sqlite_"))) {
                throw rejected("a WITH query may not be named " + with + ": the name is the registry's own;"
                        + " choose another name");
            }
        }
        // A name is a view or a WITH query in force. Names given to subqueries (FROM (SELECT ...) AS x)
        // never count: SQLite resolves a table name only to a table, a view or a WITH query.
        Set<String> forbidden = new TreeSet<>();
        for (String table : inspector.tables) {
            if (!VIEWS.contains(table) && !inspector.withNames.contains(table)) {
                forbidden.add(table);
            }
        }
        if (!forbidden.isEmpty()) {
            throw rejected("table " + String.join(", ", forbidden) + " is not queryable: query the views "
                    + String.join(", ", new TreeSet<>(VIEWS)));
        }
        if (!inspector.functions.isEmpty()) {
            Set<String> unknown = new TreeSet<>();
            for (String function : inspector.functions) {
                if (!FUNCTIONS.contains(function)) {
                    unknown.add(function);
                }
            }
            if (!unknown.isEmpty()) {
                throw rejected("function " + String.join(", ", unknown) + " is not allowed");
            }
        }
        String reached = reachesPast(sql);
        if (reached != null) {
            throw rejected(reached);
        }
        return placeholders;
    }

    /**
     * A second look at the text itself, for what the walk above may miss (a clause the parser keeps
     * but does not visit): a name starting with {@code sqlite_} (the schema, the planner's statistics)
     * or a name followed by a dot that is a schema's ({@code main.}, {@code temp.}). String literals and
     * comments are skipped; quoted names count like bare ones. Refuses also an alias named main or temp
     * used as {@code main.column}, which reads like a schema to it.
     *
     * @return why the text is refused, or null
     */
    static String reachesPast(String sql) {
        int n = sql.length();
        String previous = null;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            String name = null;
            if (c == '\'') {
                i = closing(sql, i, '\'') + 1;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '"' || c == '`' || c == '[') {
                int end = closing(sql, i, c == '[' ? ']' : c);
                name = sql.substring(i + 1, Math.min(end, n));
                i = end + 1;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                name = sql.substring(start, i);
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++; // a number, 1.5 or 1e3, is no name and its dot no qualifier
                }
                previous = null;
                continue;
            } else {
                if (c == '.' && previous != null && SCHEMAS.contains(previous)) {
                    return "schema " + previous + " is not queryable: query the views "
                            + String.join(", ", new TreeSet<>(VIEWS)) + " by their names alone";
                }
                if (!Character.isWhitespace(c)) {
                    previous = null;
                }
                i++;
                continue;
            }
            if (name != null) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.startsWith("sqlite_")) {
                    return "table " + lower + " is not queryable: query the views " + String.join(", ", new TreeSet<>(VIEWS));
                }
                previous = lower;
            }
        }
        return null;
    }

    /** Schema names SQLite knows on a query connection (no database is attached). */
    private static final Set<String> SCHEMAS = Set.of("main", "temp", "temporary");

    /** @return the index of the quote closing the one at {@code open} (a doubled quote is part of the text), or the length */
    private static int closing(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (quote != ']' && i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return sql.length();
    }

    /** Walks the whole statement, subqueries and CTEs included, collecting tables and functions. */
    private static final class Inspector extends TablesNamesFinder<Void> {
        final Set<String> functions = new TreeSet<>();
        /**
         * Every table name referred to, WITH queries included. Not the finder's own answer: it drops
         * every name that a WITH query or a subquery's alias takes anywhere in the statement, also
         * where SQLite resolves the name to the table of that name.
         */
        final Set<String> tables = new TreeSet<>();
        final Set<String> withNames = new TreeSet<>();
        String recursive;
        String schema;

        void walk(Select select) {
            getTables((Statement) select);
        }

        @Override
        public <S> Void visit(Function function, S context) {
            String name = function.getName();
            functions.add(name == null ? "" : normalise(name));
            super.visit(function, context);
            // group_concat(x ORDER BY ...): the finder does not walk an aggregate's ORDER BY.
            if (function.getOrderByElements() != null) {
                for (OrderByElement order : function.getOrderByElements()) {
                    order.getExpression().accept(this, context);
                }
            }
            return null;
        }

        @Override
        public <S> Void visit(InExpression in, S context) {
            // SQLite's "x IN name" reads the table (or view) of that name; the parser takes the name for a
            // column, or "[name]" for an array.
            Expression right = in.getRightExpression();
            if (right instanceof ArrayConstructor array && array.getExpressions() != null
                    && array.getExpressions().size() == 1 && array.getExpressions().get(0) instanceof Column only) {
                right = only;
            }
            if (right instanceof Column named) {
                tables.add(normalise(named.getColumnName()));
                if (named.getTable() != null && named.getTable().getName() != null && schema == null) {
                    schema = named.getTable().getName();
                }
            }
            return super.visit(in, context);
        }

        @Override
        public <S> Void visit(AnalyticExpression analytic, S context) {
            super.visit(analytic, context);
            // count(*) OVER (PARTITION BY ...): the finder walks the window's ORDER BY, not its PARTITION BY.
            if (analytic.getPartitionExpressionList() != null) {
                analytic.getPartitionExpressionList().accept(this, context);
            }
            return null;
        }

        @Override
        public <S> Void visit(LikeExpression like, S context) {
            super.visit(like, context);
            if (like.getEscape() != null) {
                like.getEscape().accept(this, context);
            }
            return null;
        }

        @Override
        public <S> Void visit(WithItem<?> with, S context) {
            if (with.isRecursive() && recursive == null) {
                recursive = with.getAlias() == null ? "" : with.getAlias().getName();
            }
            if (with.getAlias() != null) {
                withNames.add(normalise(with.getAlias().getName()));
            }
            return super.visit(with, context);
        }

        @Override
        public <S> Void visit(Table table, S context) {
            // No schema name at all, main included: a caller limited to part of the namespace sees
            // it through TEMP views that shadow the public ones (ScopeViews), which main.tags or
            // temp.scope would bypass; one rule for every caller keeps the accepted-text cache valid.
            if (table.getSchemaName() != null && schema == null) {
                schema = table.getSchemaName();
            }
            if (table.getName() != null) {
                tables.add(normalise(table.getName()));
            }
            return super.visit(table, context);
        }
    }

    /** @return the first keyword, upper case, after white space and comments; "(" for a parenthesis */
    static String firstWord(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        if (i < n && sql.charAt(i) == '(') {
            return "(";
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(Locale.ROOT);
    }

    /** Lower case, without quotes or a schema: {@code "Main".[TAGS]} is {@code tags}. */
    static String normalise(String name) {
        String last = name;
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
            last = name.substring(dot + 1);
        }
        return unquote(last).toLowerCase(Locale.ROOT);
    }

    private static String unquote(String name) {
        String n = name.strip();
        if (n.length() >= 2 && (n.startsWith("\"") && n.endsWith("\"") || n.startsWith("`") && n.endsWith("`")
                || n.startsWith("[") && n.endsWith("]"))) {
            return n.substring(1, n.length() - 1);
        }
        return n;
    }

    private static String kind(Statement statement) {
        String name = statement.getClass().getSimpleName().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "PRAGMASTATEMENT", "PRAGMA" -> "PRAGMA";
            case "UNSUPPORTEDSTATEMENT" -> "this statement";
            default -> name.replace("STATEMENT", "");
        };
    }

    private static final java.util.regex.Pattern POSITION = java.util.regex.Pattern.compile("line (\\d+), column (\\d+)");

    /** "syntax error at line 1, column 36, near '= 'x''": where, and the text found there. */
    static String syntax(JSQLParserException e, String sql) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null) {
            message = cause.getMessage();
        }
        java.util.regex.Matcher at = POSITION.matcher(message);
        if (!at.find()) {
            String first = message.lines().findFirst().orElse(message).strip();
            // The parser names its exception classes; the caller needs only what it says.
            return "syntax error: " + first.replaceAll("(?:[a-z]\\w*\\.)+\\w*(?:Exception|Error):\\s*", "");
        }
        int line = Integer.parseInt(at.group(1));
        int column = Integer.parseInt(at.group(2));
        String[] lines = sql.split("\n", -1);
        String near = "";
        if (line >= 1 && line <= lines.length && column >= 1 && column <= lines[line - 1].length() + 1) {
            String rest = lines[line - 1].substring(column - 1);
            int cut = rest.length() > 24 && Character.isHighSurrogate(rest.charAt(23)) ? 23 : 24;
            near = rest.isEmpty() ? ", at the end" : ", near '" + (rest.length() > cut ? rest.substring(0, cut) + "…" : rest) + "'";
        }
        return "syntax error at line " + line + ", column " + column + near;
    }

    private static NexusException rejected(String message) {
        return new NexusException(ErrorCode.QUERY_REJECTED, message);
    }
}
