package nexus.sparkplug.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.net.ssl.SSLSocketFactory;

import nexus.alarm.EventSink;
import nexus.core.Caller;
import nexus.core.NexusException;
import nexus.query.Deadband;

/**
 * etc/nexus.sparkplug.cfg, checked: what the MQTT link needs and the edge node's {@link EdgeSettings}.
 * The keys and their defaults are those of {@link SparkplugConfig} (read from the annotation, so they
 * are declared once). A configuration that cannot work is refused as a whole with one sentence that
 * names the key and how to fix it ({@link Refused}); the component then does not connect.
 *
 * @param brokerUrls        the broker URLs, tried in order ({@code tcp://} or {@code ssl://})
 * @param clientId          the MQTT client id
 * @param username          the broker user, or {@code null}
 * @param password          the broker password (first line of password.file), or {@code null}
 * @param socketFactory     TLS from the configured PKCS#12 stores, or {@code null} for the JVM's default
 * @param qos               the QoS of NBIRTH and NDATA
 * @param keepaliveS        the MQTT keep-alive, seconds
 * @param reconnectMinMs    the first wait before a reconnect
 * @param reconnectMaxMs    the longest wait before a reconnect
 * @param topicPrefix       prepended to every topic
 * @param edge              the edge node's settings, or {@code null} when the node is no edge node
 * @param host              the host application's settings, or {@code null} when the node is no host
 */
record Settings(List<String> brokerUrls, String clientId, String username, char[] password,
        SSLSocketFactory socketFactory, int qos, int keepaliveS, int reconnectMinMs, int reconnectMaxMs,
        String topicPrefix, EdgeSettings edge, HostSettings host) {

    /** The file the configuration is read from, as operators know it. */
    static final String CONFIG_FILE = "etc/nexus.sparkplug.cfg";

    /** The configuration's keys and their defaults, from {@link SparkplugConfig}. */
    static final Map<String, Object> DEFAULTS = defaults();

    /** The dynamic references whose target and minimum cardinality DS may read from the configuration. */
    private static final Set<String> REFERENCES = Set.of("tags", "alarms", "audit");

    /** A configuration that cannot work: the message names the key and how to fix it. */
    static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null);
        }
    }

    Settings {
        brokerUrls = List.copyOf(brokerUrls);
    }

    /** An edge node only. */
    Settings(List<String> brokerUrls, String clientId, String username, char[] password, SSLSocketFactory socketFactory,
            int qos, int keepaliveS, int reconnectMinMs, int reconnectMaxMs, String topicPrefix, EdgeSettings edge) {
        this(brokerUrls, clientId, username, password, socketFactory, qos, keepaliveS, reconnectMinMs, reconnectMaxMs,
                topicPrefix, edge, null);
    }

    /**
     * @return the MQTT client id of the host's session: {@code client.id} + {@code -host} when the node is
     *         an edge node too (each role has its own session), else {@code client.id}
     */
    String hostClientId() {
        return edge == null ? clientId : clientId + "-host";
    }

    /**
     * @param properties the component's properties: the configuration's keys plus those of
     *                   Configuration Admin, DS and File Install
     * @param home       the node's home folder (framework property {@code nexus.home}), or
     *                   {@code null} for the working folder; files are read relative to it
     * @throws Refused when the configuration cannot work
     */
    static Settings of(Map<String, ?> properties, String home) {
        unknownKeys(properties);
        Values values = new Values(properties);
        List<String> urls = brokerUrls(values.text("broker.urls"));
        Set<String> roles = roles(values.text("roles"));
        boolean isEdge = roles.contains("edge");
        HostSettings host = roles.contains("host") ? host(values) : null;
        String groupId = isEdge ? id("group.id", values.text("group.id")) : values.text("group.id");
        String edgeNodeId = isEdge ? id("edge.node.id", values.text("edge.node.id")) : values.text("edge.node.id");
        String primary = values.text("edge.primary.host");
        primary = primary.isEmpty() ? null : id("edge.primary.host", primary);
        String clientId = values.text("client.id");
        clientId = !clientId.isEmpty() ? clientId : isEdge ? "nexus-" + groupId + "-" + edgeNodeId
                : "nexus-host-" + host.hostId();
        if (clientId.chars().anyMatch(Character::isISOControl) || clientId.length() > 256) {
            throw new Refused("client.id holds control characters or is longer than 256 characters: name the MQTT"
                    + " client with letters, digits, '-' and '_' (or leave it empty)");
        }
        String username = values.text("username");
        Path home0 = Path.of(home == null ? "." : home);
        String passwordFile = values.text("password.file");
        if (!passwordFile.isEmpty() && username.isEmpty()) {
            throw new Refused("password.file is set but username is empty: MQTT sends a password only with a user"
                    + " name; set username");
        }
        char[] password = passwordFile.isEmpty() ? null
                : SecretFiles.firstLine("password.file", home0, passwordFile).toCharArray();
        int qos = values.integer("qos");
        if (qos != 0 && qos != 1) {
            throw new Refused("qos is " + qos + ": use 0 (what the specification asks) or 1");
        }
        int keepalive = positive(values, "keepalive.s");
        int reconnectMin = positive(values, "reconnect.min.ms");
        int reconnectMax = positive(values, "reconnect.max.ms");
        if (reconnectMax < reconnectMin) {
            throw new Refused("reconnect.max.ms (" + reconnectMax + ") is below reconnect.min.ms (" + reconnectMin
                    + "): make it at least as long");
        }
        String prefix = prefix(values.text("topic.prefix"));
        SSLSocketFactory tls = SecretFiles.tls(values.text("tls.truststore"), values.text("tls.keystore"),
                values.text("tls.password.file"), home0, urls);
        double deadbandAbsolute = values.decimal("edge.deadband.absolute");
        double deadbandPercent = values.decimal("edge.deadband.percent");
        Deadband deadband;
        try {
            deadband = new Deadband(deadbandAbsolute, deadbandPercent);
        } catch (IllegalArgumentException e) {
            throw new Refused("edge.deadband.absolute = " + deadbandAbsolute + ", edge.deadband.percent = "
                    + deadbandPercent + ": " + e.getMessage() + (deadbandAbsolute > 0 && deadbandPercent > 0
                            ? " (earlier releases read both as: percent where a tag has a range, absolute elsewhere)" : ""));
        }
        EdgeSettings edge = !isEdge ? null : new EdgeSettings(groupId, edgeNodeId, identity(values), primary,
                positive(values, "edge.publish.interval.ms"), deadband,
                positive(values, "edge.command.max.age.ms"), values.bool("edge.alarms"), positive(values, "edge.metrics.max"),
                qos, host == null ? null : host.prefix().isEmpty()
                        ? host.groups().stream().map(group -> group + "/").toList() : java.util.List.of(host.prefix() + "/"));
        return new Settings(urls, clientId, username.isEmpty() ? null : username, password, tls, qos, keepalive,
                reconnectMin, reconnectMax, prefix, edge, host);
    }

    /** @return the configured broker URLs as given, for a status when the configuration is refused */
    static String urlsAsGiven(Map<String, ?> properties) {
        Object value = properties.get("broker.urls");
        return value == null ? DEFAULTS.get("broker.urls").toString() : Values.text(value);
    }

    private static void unknownKeys(Map<String, ?> properties) {
        List<String> unknown = properties.keySet().stream()
                .filter(key -> !DEFAULTS.containsKey(key) && !framework(key))
                .sorted()
                .toList();
        if (!unknown.isEmpty()) {
            String shown = unknown.stream().limit(5).map(Settings::printable).collect(Collectors.joining(", "));
            throw new Refused(unknown.size() + " unknown key" + (unknown.size() == 1 ? "" : "s") + " (" + shown
                    + (unknown.size() > 5 ? ", ..." : "") + "): the file is damaged or mistyped; the known keys are "
                    + String.join(", ", DEFAULTS.keySet()));
        }
    }

    private static boolean framework(String key) {
        int dot = key.indexOf('.');
        if (dot > 0 && REFERENCES.contains(key.substring(0, dot))
                && (key.endsWith(".target") || key.endsWith(".cardinality.minimum"))) {
            return true;
        }
        return key.equals(EventSink.NAME_PROPERTY) || key.startsWith("service.") || key.startsWith("component.") || key.startsWith("osgi.")
                || key.startsWith("felix.fileinstall.") || key.startsWith(".");
    }

    /** A garbled key shown safely in one line: control characters become '?'. */
    private static String printable(String key) {
        String shortened = key.length() > 40 ? key.substring(0, 40) + "..." : key;
        StringBuilder out = new StringBuilder(shortened.length() + 2).append('\'');
        shortened.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) || !Character.isDefined(c) ? '?' : c));
        return out.append('\'').toString();
    }

    private static List<String> brokerUrls(String text) {
        List<String> urls = Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
        if (urls.isEmpty()) {
            throw new Refused("broker.urls is empty: name the MQTT broker, e.g. tcp://127.0.0.1:1883");
        }
        for (String url : urls) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new Refused("broker.urls: '" + printable(url) + "' is not a URL (" + e.getReason()
                        + "): write tcp://host:1883 or ssl://host:8883");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
                throw new Refused("broker.urls: '" + url + "' is not a tcp:// or ssl:// URL: write tcp://host:1883 or"
                        + " ssl://host:8883");
            }
            if (uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty())) {
                throw new Refused("broker.urls: '" + url + "' names no host (or has a path): write " + scheme
                        + "://host:port");
            }
        }
        return urls;
    }

    private static String id(String key, String value) {
        String problem = Topics.idProblem(key, value);
        if (problem != null) {
            throw new Refused(problem);
        }
        return value;
    }

    private static String prefix(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        if (prefix.chars().anyMatch(c -> c == '+' || c == '#' || Character.isISOControl(c)) || prefix.startsWith("/")
                || !prefix.endsWith("/")) {
            throw new Refused("topic.prefix '" + printable(prefix) + "' must end with '/', not start with one, and hold"
                    + " no '+', '#' or control characters: e.g. plant1/ (or empty for the specification's topics)");
        }
        return prefix;
    }

    private static Set<String> roles(String text) {
        Set<String> roles = new LinkedHashSet<>();
        for (String role : text.split("[,\\s]+")) {
            if (role.isEmpty()) {
                continue;
            }
            if (!role.equals("edge") && !role.equals("host")) {
                throw new Refused("roles: '" + printable(role) + "' is not a role: write edge, host, or edge, host");
            }
            roles.add(role);
        }
        if (roles.isEmpty()) {
            throw new Refused("roles is empty: write edge (publish this node's tags), host (mirror the edge nodes it"
                    + " hears), or edge, host");
        }
        return roles;
    }

    private static HostSettings host(Values values) {
        List<String> groups = Arrays.stream(values.text("host.groups").split("[,\\s]+")).filter(g -> !g.isEmpty())
                .toList();
        try {
            return new HostSettings(values.text("host.id"), groups, values.text("host.prefix"),
                    values.integer("host.string.bytes"), positive(values, "host.write.timeout.ms"),
                    values.integer("host.tags.max"));
        } catch (NexusException e) {
            throw new Refused(e.getMessage());
        }
    }

    private static Caller identity(Values values) {
        Set<String> roles = new LinkedHashSet<>();
        for (String role : values.text("edge.roles").split(",")) {
            if (!role.isBlank()) {
                roles.add(role.strip());
            }
        }
        try {
            return Caller.of(values.text("edge.user"), roles, "sparkplug");
        } catch (NexusException e) {
            throw new Refused("edge.user: " + e.getMessage() + ": name the identity the edge node acts under");
        }
    }

    private static int positive(Values values, String key) {
        int value = values.integer(key);
        if (value <= 0) {
            throw new Refused(key + " is " + value + ": use a positive number (the default is " + DEFAULTS.get(key) + ")");
        }
        return value;
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> defaults = new TreeMap<>();
        for (Method method : SparkplugConfig.class.getDeclaredMethods()) {
            defaults.put(method.getName().replace('_', '.'), method.getDefaultValue());
        }
        return java.util.Collections.unmodifiableMap(defaults);
    }

    /** The configuration's values as typed, each the default when absent; a value of the wrong kind is refused. */
    private record Values(Map<String, ?> properties) {

        private Object raw(String key) {
            Object value = properties.get(key);
            return value == null ? DEFAULTS.get(key) : value;
        }

        String text(String key) {
            return text(raw(key)).strip();
        }

        static String text(Object value) {
            if (value.getClass().isArray()) {
                List<String> items = new ArrayList<>();
                for (int i = 0; i < Array.getLength(value); i++) {
                    items.add(String.valueOf(Array.get(value, i)));
                }
                return String.join(",", items);
            }
            if (value instanceof Collection<?> items) {
                return items.stream().map(String::valueOf).collect(Collectors.joining(","));
            }
            return value.toString();
        }

        int integer(String key) {
            Object value = raw(key);
            if (value instanceof Integer || value instanceof Long || value instanceof Short) {
                long number = ((Number) value).longValue();
                if (number == (int) number) {
                    return (int) number;
                }
            }
            try {
                return Integer.parseInt(text(key));
            } catch (NumberFormatException e) {
                throw new Refused(key + " is '" + printable(text(key)) + "', not a whole number: write one (the default"
                        + " is " + DEFAULTS.get(key) + ")");
            }
        }

        double decimal(String key) {
            Object value = raw(key);
            if (value instanceof Number number) {
                return number.doubleValue();
            }
            try {
                return Double.parseDouble(text(key));
            } catch (NumberFormatException e) {
                throw new Refused(key + " is '" + printable(text(key)) + "', not a number: write one (the default is "
                        + DEFAULTS.get(key) + ")");
            }
        }

        boolean bool(String key) {
            String text = text(key);
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(text);
            }
            throw new Refused(key + " is '" + printable(text) + "': write true or false");
        }
    }
}
