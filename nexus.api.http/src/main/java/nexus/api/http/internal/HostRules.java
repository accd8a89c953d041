package nexus.api.http.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which {@code Host} and {@code Origin} a request may carry: the protection against DNS rebinding,
 * where a page from another site gets its own name to resolve to this node's address and then
 * drives the node from the operator's browser. Plain Java, immutable, thread-safe.
 *
 * <p>A {@code Host} is allowed when it names
 * <ul>
 * <li>the address the connection came in on, as an IP literal ({@code 192.168.1.5:8080},
 * {@code [::1]:8080}), with the port it came in on;</li>
 * <li>when that address is a loopback address: {@code localhost} or any loopback IP literal, with
 * that port;</li>
 * <li>an entry of {@code allowed.hosts}: {@code name} (any port) or {@code name:port}; {@code *}
 * allows every Host (switches the check off, e.g. behind a proxy that checks it).</li>
 * </ul>
 * A request without {@code Host} (HTTP/1.0) is allowed: browsers always send one. A Host without a
 * port means port 80. Names are never resolved: the check uses no DNS.
 *
 * <p>An {@code Origin} is allowed when it is absent, the same origin as the request
 * ({@code http://} and the Host), or an entry of {@code allowed.origins} ({@code scheme://host[:port]},
 * or {@code *} for every origin). {@code Origin: null} (sandboxed frames, files) is refused.
 */
final class HostRules {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9._~!$&'()*+,;=%-]+|\\[[0-9a-f:.]+(%[a-z0-9._~-]+)?\\]");
    private static final int SHOWN = 100;

    private final Set<String> hosts;
    private final Set<String> origins;
    private final boolean anyHost;
    private final boolean anyOrigin;

    /**
     * @param allowedHosts   extra names a Host may carry: {@code name} or {@code name:port}
     * @param allowedOrigins extra origins: {@code scheme://host[:port]}
     * @throws IllegalArgumentException naming an entry that is neither
     */
    HostRules(String[] allowedHosts, String[] allowedOrigins) {
        Set<String> h = new LinkedHashSet<>();
        boolean star = false;
        for (String entry : entries(allowedHosts)) {
            String e = entry.strip().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (e.equals("*")) {
                star = true;
                continue;
            }
            Authority authority = Authority.parse(e, -1);
            if (authority == null) {
                throw new IllegalArgumentException("allowed.hosts entry '" + entry + "' is not a host name or name:port");
            }
            h.add(e);
        }
        anyHost = star;
        hosts = Set.copyOf(h);
        Set<String> o = new LinkedHashSet<>();
        star = false;
        for (String entry : entries(allowedOrigins)) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            if (e.equals("*")) {
                star = true;
                continue;
            }
            String origin = normalisedOrigin(e);
            if (origin == null) {
                throw new IllegalArgumentException("allowed.origins entry '" + entry + "' is not an origin such as"
                        + " https://hmi.plant.example or http://10.0.0.7:3000");
            }
            o.add(origin);
        }
        anyOrigin = star;
        origins = Set.copyOf(o);
    }

    /** Entries as configured: an array, whose elements may each hold a comma-separated list (a .cfg file's form). */
    private static List<String> entries(String[] configured) {
        List<String> entries = new ArrayList<>();
        for (String value : configured == null ? new String[0] : configured) {
            for (String entry : value.split(",")) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /**
     * @param host         the Host header, or null
     * @param origin       the Origin header, or null
     * @param localAddress the address the connection came in on (IP literal, as the container gives it)
     * @param localPort    the port the connection came in on
     * @return null when the request may proceed; otherwise why not, in plain words
     */
    String refusal(String host, String origin, String localAddress, int localPort) {
        Authority named = null;
        if (host != null) {
            named = Authority.parse(host.strip().toLowerCase(Locale.ROOT), 80);
            if (named == null) {
                return "the Host header '" + shown(host) + "' is not a host name with an optional port";
            }
            if (!anyHost && !served(named, localAddress, localPort)) {
                return "this node does not answer to the name '" + shown(host) + "' (Host header): a page from another"
                        + " site may be trying to reach it through its own name (DNS rebinding). Use the node's address"
                        + " (http://" + hostLiteral(localAddress) + ":" + localPort + "), or add the name to allowed.hosts"
                        + " in etc/nexus.api.http.cfg";
            }
        }
        if (origin == null || anyOrigin) {
            return null;
        }
        String normalised = normalisedOrigin(origin.strip());
        if (normalised == null) {
            return "requests from the page at '" + shown(origin) + "' (Origin header) are not allowed: only pages this"
                    + " node serves, and those in allowed.origins in etc/nexus.api.http.cfg";
        }
        if (named != null && normalised.equals("http://" + named.name() + ":" + named.port()) || origins.contains(normalised)) {
            return null;
        }
        return "requests from the page at " + shown(origin) + " (Origin header) are not allowed: only pages this node"
                + " serves, and those in allowed.origins in etc/nexus.api.http.cfg";
    }

    private boolean served(Authority named, String localAddress, int localPort) {
        if (hosts.contains(named.name()) || hosts.contains(named.name() + ":" + named.port())) {
            return true;
        }
        if (named.port() != localPort) {
            return false;
        }
        InetAddress local = literal(localAddress);
        if (local == null) {
            return false;
        }
        if (local.isLoopbackAddress() && named.name().equals("localhost")) {
            return true;
        }
        InetAddress address = literal(named.name());
        return address != null && (address.equals(local) || local.isLoopbackAddress() && address.isLoopbackAddress());
    }

    /** @return the address an IP literal (dotted quad, or IPv6 with or without brackets) names; null for a name */
    static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9a-fA-F:.]+(%[A-Za-z0-9._~-]+)?");
        if (!v6 && !IPV4.matcher(t).matches()) {
            return null; // a name: never resolved
        }
        try {
            return InetAddress.getByName(t); // an IP literal: parsed, no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String hostLiteral(String address) {
        return address != null && address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    /** A Host or origin's authority: name (lower case, IPv6 in brackets) and port. */
    record Authority(String name, int port) {

        /** @return the authority, or null when the text is none; {@code defaultPort} when it names no port */
        static Authority parse(String text, int defaultPort) {
            String name = text;
            int port = defaultPort;
            int colon = text.startsWith("[") ? text.indexOf(':', Math.max(0, text.indexOf(']'))) : text.lastIndexOf(':');
            if (colon >= 0) {
                String digits = text.substring(colon + 1);
                if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
                    return null;
                }
                port = Integer.parseInt(digits);
                if (port < 1 || port > 65_535) {
                    return null;
                }
                name = text.substring(0, colon);
            }
            return name.isEmpty() || !NAME.matcher(name).matches() || name.indexOf(':') >= 0 && !name.startsWith("[")
                    ? null : new Authority(name, port);
        }
    }

    /** @return {@code scheme://host:port} in lower case with the port explicit, or null when not an origin */
    static String normalisedOrigin(String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        int sep = o.indexOf("://");
        if (sep <= 0) {
            return null;
        }
        String scheme = o.substring(0, sep);
        int defaultPort = switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
        String rest = o.substring(sep + 3);
        if (defaultPort < 0 || rest.isEmpty() || rest.contains("/")) {
            return null;
        }
        Authority authority = Authority.parse(rest, defaultPort);
        return authority == null ? null : scheme + "://" + authority.name() + ":" + authority.port();
    }

    private static String shown(String text) {
        return text.length() > SHOWN ? text.substring(0, SHOWN) + "…" : text;
    }
}
