package nexus.registry;

import java.util.List;
import java.util.Objects;

/**
 * One thing wrong with a registry or a tag list.
 *
 * @param kind    what kind of problem
 * @param message what is wrong and, where it helps, how to fix it
 * @param where   the rows or places involved: tag paths with their bank and byte/bit ranges, or
 *                {@code file:line:column} for a tag list; never empty
 */
public record Problem(Kind kind, String message, List<String> where) {

    /** The kinds of problem, for filtering and counting. */
    public enum Kind {
        /** Not a registry file, a damaged one, or one of another schema version. */
        INTEGRITY,
        /** A value that cannot be read: a malformed number, a missing column. */
        MALFORMED,
        UNKNOWN_TYPE,
        UNKNOWN_BANK,
        DUPLICATE_PATH,
        OUT_OF_BOUNDS,
        MISALIGNED,
        /** Two allocations share bits. */
        OVERLAP,
        /** An alarm refers to a tag that does not exist. */
        DANGLING_ALARM,
        /** An alarm definition that contradicts itself or its tag. */
        INCONSISTENT_ALARM
    }

    public Problem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        where = List.copyOf(where);
    }

    @Override
    public String toString() {
        return kind + ": " + message + (where.isEmpty() ? "" : " [" + String.join("; ", where) + "]");
    }
}
