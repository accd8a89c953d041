package nexus.sparkplug.internal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host application's STATE payload (Sparkplug 3.0, 7.3): {@code {"online":true,"timestamp":<ms>}}.
 * The two members may come in either order, with blanks between tokens; nothing else is accepted.
 *
 * @param online    whether the host is online
 * @param timestamp when the host said so, ms since the epoch
 */
record HostState(boolean online, long timestamp) {

    private static final String ONLINE = "\"online\"\\s*:\\s*(true|false)";
    private static final String TIMESTAMP = "\"timestamp\"\\s*:\\s*(\\d{1,18})";
    private static final Pattern ONLINE_FIRST = Pattern.compile("\\s*\\{\\s*" + ONLINE + "\\s*,\\s*" + TIMESTAMP + "\\s*}\\s*");
    private static final Pattern TIMESTAMP_FIRST = Pattern.compile("\\s*\\{\\s*" + TIMESTAMP + "\\s*,\\s*" + ONLINE + "\\s*}\\s*");

    /**
     * @return the state the payload says
     * @throws IllegalArgumentException when it is not a STATE payload; the message says what one looks like
     */
    static HostState parse(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        Matcher m = ONLINE_FIRST.matcher(text);
        if (m.matches()) {
            return new HostState(Boolean.parseBoolean(m.group(1)), Long.parseLong(m.group(2)));
        }
        m = TIMESTAMP_FIRST.matcher(text);
        if (m.matches()) {
            return new HostState(Boolean.parseBoolean(m.group(2)), Long.parseLong(m.group(1)));
        }
        throw new IllegalArgumentException("a STATE payload must be {\"online\":true|false,\"timestamp\":<ms>}, not "
                + payload.length + " bytes of something else");
    }
}
