package nexus.query.internal;

import java.util.Locale;
import java.util.Set;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The shape of a SQL text, measured in one pass over its characters before anything parses it:
 * how deep parentheses and {@code CASE … END} nest, and the longest chain of operators one
 * expression can build. The parser and the visitors behind it recurse once per nesting level and
 * per operator of a chain ({@code 1+1+…+1} is a tree as deep as it is long), so bounding these two
 * numbers bounds their stack; the bounds sit well above what namespace queries need and at or
 * below SQLite's own expression depth on the query connections (200, {@link ReadOnlySqlite}).
 *
 * <p>The scan skips string literals, quoted identifiers ({@code "…"}, {@code `…`}, {@code […]})
 * and comments. Operators are the symbols {@code + - * / % | & < > = ! ~} (a run such as {@code <=}
 * or {@code ||} counts once) and the words {@code AND OR NOT IS IN LIKE GLOB REGEXP MATCH BETWEEN
 * ESCAPE COLLATE ISNULL NOTNULL EXISTS}. A chain ends at a comma and at the words that start a
 * clause or a branch ({@code SELECT FROM WHERE … WHEN THEN ELSE}); the chain of a parenthesis or a
 * CASE adds to the chain it sits in, because its tree hangs below that one.
 */
final class SqlShape {

    /** The deepest nesting of parentheses and CASE … END accepted. */
    static final int MAX_DEPTH = 32;

    /** The longest operator chain accepted, nested chains included. */
    static final int MAX_CHAIN = 200;

    private static final Set<String> OPERATOR_WORDS = Set.of("AND", "OR", "NOT", "IS", "IN", "LIKE", "GLOB", "REGEXP",
            "MATCH", "BETWEEN", "ESCAPE", "COLLATE", "ISNULL", "NOTNULL", "EXISTS");

    private static final Set<String> BREAK_WORDS = Set.of("SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "BY",
            "LIMIT", "OFFSET", "ON", "USING", "JOIN", "UNION", "INTERSECT", "EXCEPT", "VALUES", "WITH", "AS", "WHEN",
            "THEN", "ELSE", "WINDOW", "OVER", "PARTITION");

    /** How deep the text nests and its longest operator chain. */
    record Measure(int depth, int chain) {
    }

    private SqlShape() {
    }

    /** @throws NexusException QUERY_REJECTED naming the limit the text exceeds and its value */
    static void check(String sql) {
        Measure measure = measure(sql);
        if (measure.depth() > MAX_DEPTH) {
            throw new NexusException(ErrorCode.QUERY_REJECTED, "the SQL nests parentheses, subqueries or CASE "
                    + measure.depth()
                    + " levels deep; the limit is " + MAX_DEPTH);
        }
        if (measure.chain() > MAX_CHAIN) {
            throw new NexusException(ErrorCode.QUERY_REJECTED, "the SQL chains " + measure.chain()
                    + " operators (such as +, ||, =, AND, OR, NOT) into one expression; the limit is " + MAX_CHAIN
                    + ": use IN (…) for long lists of values");
        }
    }

    /**
     * @return the nesting depth and the longest chain; levels beyond ten times the depth limit are
     *         only counted, not measured (the verdict is already clear)
     */
    static Measure measure(String sql) {
        int n = sql.length();
        // Per open level: operators in its current chain, the deepest nested chain inside that chain,
        // the best chain finished at this level, and whether the level is a CASE (closed by END).
        int capacity = 10 * MAX_DEPTH + 2;
        int[] ops = new int[capacity];
        int[] nested = new int[capacity];
        int[] best = new int[capacity];
        boolean[] isCase = new boolean[capacity];
        int level = 0;
        int deepest = 0;
        int overflow = 0;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int skipped = skip(sql, i);
            if (skipped > i) {
                i = skipped;
            } else if (c == '(') {
                if (level + 1 < capacity) {
                    level = open(level, ops, nested, best, isCase, false);
                    deepest = Math.max(deepest, level);
                } else {
                    overflow++;
                    deepest = Math.max(deepest, level + overflow);
                }
                i++;
            } else if (c == ')') {
                if (overflow > 0) {
                    overflow--;
                } else if (level > 0 && !isCase[level]) {
                    level = close(level, ops, nested, best);
                }
                i++;
            } else if (c == ',') {
                endChain(level, ops, nested, best);
                i++;
            } else if ("+-*/%|&<>=!~".indexOf(c) >= 0) {
                while (i < n && "+-*/%|&<>=!~".indexOf(sql.charAt(i)) >= 0
                        && !(sql.charAt(i) == '-' && i + 1 < n && sql.charAt(i + 1) == '-')
                        && !(sql.charAt(i) == '/' && i + 1 < n && sql.charAt(i + 1) == '*')) {
                    i++;
                }
                ops[level]++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                if (i < n && sql.charAt(i) == '\'' && i - start == 1 && (c == 'x' || c == 'X')) {
                    continue; // a blob literal x'…': the quote is skipped next
                }
                String word = sql.substring(start, i).toUpperCase(Locale.ROOT);
                if (word.equals("CASE")) {
                    if (level + 1 < capacity) {
                        level = open(level, ops, nested, best, isCase, true);
                        deepest = Math.max(deepest, level);
                    } else {
                        overflow++;
                        deepest = Math.max(deepest, level + overflow);
                    }
                } else if (word.equals("END")) {
                    if (overflow > 0) {
                        overflow--;
                    } else if (level > 0 && isCase[level]) {
                        level = close(level, ops, nested, best);
                    }
                } else if (OPERATOR_WORDS.contains(word)) {
                    ops[level]++;
                } else if (BREAK_WORDS.contains(word)) {
                    endChain(level, ops, nested, best);
                }
            } else {
                i++;
            }
        }
        while (level > 0) {
            level = close(level, ops, nested, best); // unclosed levels: the parser will refuse the text
        }
        endChain(0, ops, nested, best);
        return new Measure(deepest, best[0]);
    }

    private static int open(int level, int[] ops, int[] nested, int[] best, boolean[] isCase, boolean kase) {
        int next = level + 1;
        ops[next] = 0;
        nested[next] = 0;
        best[next] = 0;
        isCase[next] = kase;
        return next;
    }

    /** @return the enclosing level, whose current chain now holds the closed level's longest chain */
    private static int close(int level, int[] ops, int[] nested, int[] best) {
        endChain(level, ops, nested, best);
        int outer = level - 1;
        nested[outer] = Math.max(nested[outer], best[level]);
        return outer;
    }

    private static void endChain(int level, int[] ops, int[] nested, int[] best) {
        best[level] = Math.max(best[level], ops[level] + nested[level]);
        ops[level] = 0;
        nested[level] = 0;
    }

    /**
     * @return the index after the string literal, quoted identifier or comment that starts at
     *         {@code i}; {@code i} when none starts there
     */
    static int skip(String sql, int i) {
        int n = sql.length();
        char c = sql.charAt(i);
        if (c == '\'' || c == '"' || c == '`') {
            return closing(sql, i + 1, c);
        } else if (c == '[') {
            int end = sql.indexOf(']', i + 1);
            return end < 0 ? n : end + 1;
        } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
            int end = sql.indexOf('\n', i + 2);
            return end < 0 ? n : end + 1;
        } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
            int end = sql.indexOf("*/", i + 2);
            return end < 0 ? n : end + 2;
        }
        return i;
    }

    /** The highest placeholder number SQLite accepts ({@code SQLITE_MAX_VARIABLE_NUMBER}'s default). */
    static final int MAX_PLACEHOLDER = 32_766;

    /**
     * Counts the placeholders as SQLite numbers them: {@code ?} is one more than the highest number
     * so far, {@code ?NNN} is NNN.
     *
     * @return how many values the SQL needs: its highest placeholder number
     * @throws NexusException QUERY_REJECTED for a named placeholder ({@code :name}, {@code @name},
     *                        {@code $name}) or a number outside 1..32766
     */
    static int placeholders(String sql) {
        int n = sql.length();
        int highest = 0;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int skipped = skip(sql, i);
            if (skipped > i) {
                i = skipped;
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
            } else if (c == '?') {
                int start = ++i;
                while (i < n && sql.charAt(i) >= '0' && sql.charAt(i) <= '9') {
                    i++;
                }
                if (i == start) {
                    highest++;
                } else {
                    String digits = sql.substring(start, i);
                    int number = digits.length() > 5 ? 0 : Integer.parseInt(digits);
                    if (number < 1 || number > MAX_PLACEHOLDER) {
                        throw new NexusException(ErrorCode.QUERY_REJECTED, "placeholder ?" + digits + " is out of range:"
                                + " use ? or ?NNN with NNN from 1 to " + MAX_PLACEHOLDER);
                    }
                    highest = Math.max(highest, number);
                }
            } else if ((c == ':' || c == '@' || c == '$') && i + 1 < n
                    && (Character.isLetterOrDigit(sql.charAt(i + 1)) || sql.charAt(i + 1) == '_')) {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                    end++;
                }
                throw new NexusException(ErrorCode.QUERY_REJECTED, "named placeholders (" + sql.substring(i, Math.min(end, i + 40))
                        + ") are not supported: use ? or ?NNN and send the values in params, in order");
            } else {
                i++;
            }
        }
        return highest;
    }

    /** @return the index after the closing quote; a doubled quote is part of the text */
    private static int closing(String sql, int from, char quote) {
        int i = from;
        int n = sql.length();
        while (i < n) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return n;
    }
}
