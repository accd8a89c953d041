package nexus.security.internal;

import java.util.Objects;

/**
 * Why a role configuration was refused.
 *
 * @param file   the configuration's file (as File Install names it), or {@code configuration <pid>}
 *               for one that did not come from a file
 * @param line   the line of the offending key in that file, from 1; 0 when no line says it (a
 *               missing key, or no file)
 * @param role   the role the configuration names, or {@code null} when it names none validly
 * @param reason what is wrong and how to fix it
 */
record RoleRefusal(String file, int line, String role, String reason) {

    RoleRefusal {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return one sentence for logs, health and the shell: file, line, reason */
    String message() {
        return file + (line > 0 ? " line " + line : "") + ": " + reason;
    }
}
