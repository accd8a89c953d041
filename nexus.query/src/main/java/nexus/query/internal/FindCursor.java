package nexus.query.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.FindFilter;

/**
 * The cursor of a find: {@code f1.} and, base64url-encoded, the filter's fingerprint and the last
 * path examined. The fingerprint (64 bits of SHA-256 over the filter in a canonical text, its limit
 * and cursor left out) ties a cursor to its filter, so one given back with another filter is refused
 * instead of paging that filter from a place it never reached. {@code f1} is the format's version.
 */
final class FindCursor {

    static final String VERSION = "f1.";

    /** The longest cursor taken: a path of up to this many characters fits well within it. */
    static final int MAX = 4_096;

    private FindCursor() {
    }

    static String encode(FindFilter filter, String lastPath) {
        String text = fingerprint(filter) + "\n" + lastPath;
        return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return the path the page continues after
     * @throws NexusException INVALID_ARGUMENT for a cursor this filter's pages did not give out
     */
    static String decode(FindFilter filter, String cursor) {
        if (cursor.length() > MAX || !cursor.startsWith(VERSION)) {
            throw refused("it is not one a find answered (or of another format version)");
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor.substring(VERSION.length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw refused("it is damaged");
        }
        int newline = text.indexOf('\n');
        if (newline < 0) {
            throw refused("it is damaged");
        }
        if (!text.substring(0, newline).equals(fingerprint(filter))) {
            throw refused("it belongs to another filter: send the filter the cursor came with, or start again without"
                    + " a cursor");
        }
        return text.substring(newline + 1);
    }

    private static NexusException refused(String why) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, "cursor: " + why);
    }

    static String fingerprint(FindFilter filter) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical(filter).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The filter without limit and cursor, sets sorted: one text per filter, whatever the sets' order. */
    static String canonical(FindFilter filter) {
        StringBuilder text = new StringBuilder();
        text.append("paths").append(filter.paths().stream().map(FindCursor::quoted).toList());
        Map<String, Object> properties = new TreeMap<>();
        filter.properties().forEach((key, values) -> properties.put(key, sorted(values)));
        text.append(" properties").append(properties.entrySet().stream().map(e -> quoted(e.getKey()) + "=" + e.getValue())
                .toList());
        text.append(" units").append(sorted(filter.units())).append(" types").append(sorted(filter.types()));
        text.append(" writable ").append(filter.writable()).append(" order ").append(filter.order());
        FindFilter.AlarmCriteria alarms = filter.alarms();
        if (alarms != null) {
            text.append(" alarms ").append(alarms.present()).append(sorted(alarms.severities()))
                    .append(sorted(alarms.conditions()));
        }
        FindFilter.Live live = filter.live();
        if (live != null) {
            text.append(" live ").append(live.value()).append(sorted(live.qualities()));
            if (live.alarms() != null) {
                text.append(sorted(live.alarms().states())).append(live.alarms().inAlarm())
                        .append(sorted(live.alarms().activeSeverities()));
            }
        }
        return text.append(" includeAlarms ").append(filter.includeAlarms()).toString();
    }

    private static String sorted(Collection<?> values) {
        TreeSet<String> names = new TreeSet<>();
        values.forEach(v -> names.add(quoted(String.valueOf(v))));
        return names.toString();
    }

    /** Quoted and escaped, so that no value can pass for a separator of another's. */
    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
