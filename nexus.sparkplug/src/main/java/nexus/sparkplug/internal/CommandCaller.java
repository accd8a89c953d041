package nexus.sparkplug.internal;

import nexus.core.Caller;
import nexus.core.NexusException;

/**
 * Who an NCMD write is taken by: the edge node's roles ({@code edge.roles}), with the user the
 * command names. The host application that sends an NCMD is not authenticated by this node (the
 * broker decides who may publish to the NCMD topic), so the user it names is a label for the audit
 * trail, never a source of rights: the roles are always the edge identity's.
 *
 * <p>What a command carries is not trusted to fit a {@link Caller}: the {@code user} and
 * {@code requestId} properties may be empty, very long, or hold control characters. They are cleaned
 * here (control characters removed, surrounding blanks stripped, cut to fit) so that building the
 * caller never fails and a log or audit line never carries a raw line break.
 */
final class CommandCaller {

    /** The source of every NCMD write; {@code " request <id>"} follows when the command gives one. */
    static final String SOURCE = "sparkplug NCMD";

    /** The longest request id kept, in characters; a longer one is cut. */
    static final int MAX_REQUEST_ID = 128;

    private static final String VIA = " via ";

    private CommandCaller() {
    }

    /**
     * @param edge      the edge node's identity: its user names the node, its roles decide
     * @param user      the {@code user} property of the NCMD metric, as sent, or {@code null}
     * @param requestId the request id, already {@linkplain #requestId cleaned}, or {@code null}
     * @return {@code "<user> via <edge user>"} with the edge's roles, or the edge's user alone when
     *         the command names no usable user; never throws
     */
    static Caller of(Caller edge, String user, String requestId) {
        String source = requestId == null ? SOURCE : SOURCE + " request " + requestId;
        String suffix = VIA + edge.user();
        String named = clean(user, Caller.MAX_USER - suffix.length());
        try {
            return new Caller(named.isEmpty() ? edge.user() : named + suffix, edge.roles(), source);
        } catch (NexusException e) {
            // clean() leaves nothing Caller refuses; this keeps the promise should Caller's rules grow
            return new Caller(edge.user(), edge.roles(), source);
        }
    }

    /**
     * @param raw the {@code requestId} property as sent, or {@code null}
     * @return the id without control characters or surrounding blanks, cut to {@value #MAX_REQUEST_ID}
     *         characters; {@code null} when none was sent or nothing is left
     */
    static String requestId(String raw) {
        String cleaned = clean(raw, MAX_REQUEST_ID);
        return cleaned.isEmpty() ? null : cleaned;
    }

    /**
     * @return the text without control characters (ISO control, which includes line breaks and
     *         {@code DEL}), stripped, and cut to at most {@code max} characters without splitting a
     *         surrogate pair; empty for {@code null} or when {@code max < 1}
     */
    static String clean(String raw, int max) {
        if (raw == null || max < 1) {
            return "";
        }
        StringBuilder kept = new StringBuilder(Math.min(raw.length(), max + 1));
        for (int i = 0; i < raw.length() && kept.length() <= max; i++) {
            char c = raw.charAt(i);
            if (!Character.isISOControl(c) && !(kept.length() == 0 && Character.isWhitespace(c))) {
                kept.append(c);
            }
        }
        if (kept.length() > max) {
            kept.setLength(Character.isHighSurrogate(kept.charAt(max - 1)) ? max - 1 : max);
        }
        return kept.toString().strip();
    }
}
