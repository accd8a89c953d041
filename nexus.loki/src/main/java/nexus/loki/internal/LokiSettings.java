package nexus.loki.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * A checked Loki sink configuration. {@link #from} refuses anything Loki would refuse or that would
 * hurt it (a label name it does not accept, a label that would make a stream per alarm or tag),
 * with a message that says what and why. {@link #toString()} never shows a secret.
 *
 * @param push          the push endpoint, or null when no url is configured (the sink is idle)
 * @param tenant        the X-Scope-OrgID header, or null
 * @param authorization the Authorization header, or null (never logged)
 * @param labels        the static labels: job, node, then the extra ones
 * @param kindLabel     whether {@code kind} is a label
 * @param severityLabel whether {@code severity} is a label
 * @param spoolFlushMillis how long an event may wait in memory, once the sink is spooling, before it is on disk
 */
record LokiSettings(URI push, String tenant, String authorization, String authKind, Map<String, String> labels,
        boolean kindLabel, boolean severityLabel, boolean structuredMetadata, int batchSize, int batchBytes,
        long batchWaitMillis, int queueSize, Duration connectTimeout, Duration requestTimeout, long retryMinMillis,
        long retryMaxMillis, Path spoolDir, long spoolMax, long spoolFlushMillis) {

    static final String PUSH_PATH = "/loki/api/v1/push";
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** Event fields a label may take: one stream per value, a handful of values each. */
    static final Set<String> STREAM_LABELS = Set.of("kind", "severity");
    /** Names that would make a stream per alarm, tag, user or event. */
    static final Set<String> HIGH_CARDINALITY = Set.of("alarm", "alarm_name", "name", "tag", "tag_path", "path",
            "value", "user", "comment", "message", "sequence", "id", "state", "before", "after", "time", "type");

    boolean idle() {
        return push == null;
    }

    /** @return these settings with another request time limit (for the last push at stop) */
    LokiSettings withRequestTimeout(Duration timeout) {
        return new LokiSettings(push, tenant, authorization, authKind, labels, kindLabel, severityLabel,
                structuredMetadata, batchSize, batchBytes, batchWaitMillis, queueSize, connectTimeout, timeout,
                retryMinMillis, retryMaxMillis, spoolDir, spoolMax, spoolFlushMillis);
    }

    /**
     * @param home the home folder (relative spool folders are resolved against it)
     * @param host the host name, for the default node label
     * @throws NexusException INVALID_ARGUMENT naming the key and the reason
     */
    static LokiSettings from(LokiConfig c, String home, String host) {
        URI push = push(c.url());
        String tenant = blankToNull(c.tenant());
        String user = blankToNull(c.username());
        String password = c.password() == null || c.password().isEmpty() ? null : c.password();
        String token = blankToNull(c.token());
        if ((user == null) != (password == null)) {
            throw invalid("username and password go together: set both for basic auth, or neither");
        }
        if (user != null && token != null) {
            throw invalid("set either username/password (basic auth) or token (bearer), not both");
        }
        String authorization = token != null ? "Bearer " + token
                : user != null ? "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8))
                : null;
        String authKind = token != null ? "bearer token" : user != null ? "basic auth as " + user : "none";

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("job", value("job", c.job()));
        String node = blankToNull(c.node());
        labels.put("node", value("node", node == null ? host : node));
        for (Map.Entry<String, String> extra : staticLabels(c.labels()).entrySet()) {
            labels.put(extra.getKey(), extra.getValue());
        }
        boolean kind = false;
        boolean severity = false;
        for (String name : split(c.stream_labels())) {
            checkName(name, "stream.labels");
            if (!STREAM_LABELS.contains(name)) {
                throw invalid("stream.labels: unknown label '" + name + "': events can add kind and severity");
            }
            kind |= name.equals("kind");
            severity |= name.equals("severity");
        }
        require(c.batch_size() >= 1 && c.batch_size() <= 100_000, "batch.size", c.batch_size(), "1 to 100000 events");
        require(c.batch_bytes() >= 1024, "batch.bytes", c.batch_bytes(), "at least 1024");
        require(c.batch_wait() >= 10 && c.batch_wait() <= 60_000, "batch.wait", c.batch_wait(), "10 to 60000 ms");
        require(c.queue_size() >= c.batch_size() && c.queue_size() <= 10_000_000, "queue.size", c.queue_size(),
                "batch.size (" + c.batch_size() + ") to 10000000 events");
        require(c.timeout_connect() >= 100 && c.timeout_connect() <= 600_000, "timeout.connect", c.timeout_connect(),
                "100 to 600000 ms");
        require(c.timeout_request() >= 100 && c.timeout_request() <= 600_000, "timeout.request", c.timeout_request(),
                "100 to 600000 ms");
        require(c.retry_min() >= 10 && c.retry_min() <= 3_600_000, "retry.min", c.retry_min(), "10 to 3600000 ms");
        require(c.retry_max() >= c.retry_min() && c.retry_max() <= 3_600_000, "retry.max", c.retry_max(),
                "retry.min (" + c.retry_min() + ") to 3600000 ms");
        require(c.spool_max() >= 1_048_576 && c.spool_max() <= 1L << 40, "spool.max", c.spool_max(),
                "1048576 bytes to 1 TiB");
        require(c.spool_flush() >= 10 && c.spool_flush() <= 60_000, "spool.flush", c.spool_flush(), "10 to 60000 ms");
        Path spool = null;
        if (blankToNull(c.spool_dir()) != null) {
            spool = Path.of(c.spool_dir().strip());
            if (!spool.isAbsolute()) {
                spool = Path.of(home == null ? "." : home).resolve(spool);
            }
        }
        return new LokiSettings(push, tenant, authorization, authKind, Collections.unmodifiableMap(labels), kind, severity,
                c.structured_metadata(), c.batch_size(), c.batch_bytes(), c.batch_wait(), c.queue_size(),
                Duration.ofMillis(c.timeout_connect()), Duration.ofMillis(c.timeout_request()), c.retry_min(),
                c.retry_max(), spool, c.spool_max(), c.spool_flush());
    }

    private static URI push(String url) {
        String text = blankToNull(url);
        if (text == null) {
            return null;
        }
        String shown = shown(text);
        int authority = text.indexOf("://");
        int path = authority < 0 ? -1 : text.indexOf('/', authority + 3);
        String host = authority < 0 ? "" : text.substring(authority + 3, path < 0 ? text.length() : path);
        if (host.contains("@")) {
            throw invalid("url carries credentials: put them in username and password (a url may be shown and logged)");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("url '" + shown + "' is not a URL (" + e.getReason() + "): use e.g. http://127.0.0.1:3100");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw invalid("url '" + shown + "' is not an http(s) URL with a host: use e.g. http://127.0.0.1:3100");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("url '" + shown + "' has a query or fragment: give Loki's base URL, e.g. http://127.0.0.1:3100");
        }
        String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (rawPath.endsWith("/")) {
            rawPath = rawPath.substring(0, rawPath.length() - 1);
        }
        if (!rawPath.endsWith(PUSH_PATH)) {
            rawPath = rawPath + PUSH_PATH;
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + rawPath);
    }

    /** @return a url as it may be shown: without anything that could be a secret (user info, query, fragment) */
    static String shown(String url) {
        String text = url.replaceAll("(?<=://)[^/]*@", "");
        int cut = text.length();
        for (char c : new char[] { '?', '#' }) {
            int at = text.indexOf(c);
            cut = at >= 0 ? Math.min(cut, at) : cut;
        }
        return cut < text.length() ? text.substring(0, cut) + "…" : text;
    }

    private static Map<String, String> staticLabels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : split(text)) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw invalid("labels: '" + pair + "' is not name=value");
            }
            String name = pair.substring(0, equals).strip();
            checkName(name, "labels");
            if (name.equals("job") || name.equals("node")) {
                throw invalid("labels: set " + name + " with its own key (" + name + " = …), not in labels");
            }
            if (STREAM_LABELS.contains(name)) {
                throw invalid("labels: '" + name + "' comes from each event (stream.labels), it cannot be static");
            }
            labels.put(name, value("labels: " + name, pair.substring(equals + 1)));
        }
        return labels;
    }

    private static void checkName(String name, String key) {
        if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
            throw invalid(key + ": '" + name + "' is not a Loki label name: letters, digits and _, not starting with a"
                    + " digit or __");
        }
        if (HIGH_CARDINALITY.contains(name.toLowerCase(Locale.ROOT))) {
            throw invalid(key + ": label '" + name + "' would carry high cardinality (a stream per alarm, tag or"
                    + " event); alarm names and tag paths go in structured metadata and in the line");
        }
    }

    private static String value(String key, String value) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            throw invalid(key + " is empty: a label needs a value");
        }
        if (text.length() > 200) {
            throw invalid(key + " is " + text.length() + " characters long; keep label values short (at most 200)");
        }
        return text;
    }

    private static String[] split(String text) {
        return text == null || text.isBlank() ? new String[0] : text.strip().split("\\s*,\\s*");
    }

    private static void require(boolean ok, String key, long value, String allowed) {
        if (!ok) {
            throw invalid(key + " = " + value + " is out of range: use " + allowed);
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** @return the settings as a log line: the endpoint, tenant, auth kind and labels, never a secret */
    @Override
    public String toString() {
        return idle() ? "idle (no url)" : push + (tenant == null ? "" : " tenant " + tenant) + ", auth " + authKind
                + ", labels " + labels + (kindLabel ? " +kind" : "") + (severityLabel ? " +severity" : "")
                + (spoolDir == null ? "" : ", spool " + spoolDir);
    }
}
