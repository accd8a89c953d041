package nexus.loki.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code nexus.loki}, for example {@code etc/nexus.loki.cfg}. */
@ObjectClassDefinition(name = "RMA Nexus Loki sink", description = "Ships alarm transitions and operator actions to"
        + " Grafana Loki's push API.")
@interface LokiConfig {

    @AttributeDefinition(description = "Loki's base URL, e.g. http://127.0.0.1:3100 (the sink posts to"
            + " {url}/loki/api/v1/push). Empty: the sink stays idle.")
    String url() default "";

    @AttributeDefinition(description = "Tenant, sent as X-Scope-OrgID (multi-tenant Loki); empty: none")
    String tenant() default "";

    @AttributeDefinition(description = "Basic auth user; empty: no basic auth")
    String username() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Basic auth password (never logged)")
    String password() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Bearer token (never logged); not together"
            + " with basic auth")
    String token() default "";

    @AttributeDefinition(description = "Label job")
    String job() default "rma-nexus";

    @AttributeDefinition(description = "Label node; empty: the host name")
    String node() default "";

    @AttributeDefinition(description = "Extra static labels, name=value pairs separated by commas, e.g."
            + " site=plant1, env=prod")
    String labels() default "";

    @AttributeDefinition(name = "stream.labels", description = "Event fields that become labels: kind and/or"
            + " severity. Alarm names and tag paths never do (structured metadata instead).")
    String stream_labels() default "kind,severity";

    @AttributeDefinition(name = "structured.metadata", description = "Send alarm and tag as structured metadata"
            + " (Loki 3, or 2.9 with allow_structured_metadata); false for an older Loki")
    boolean structured_metadata() default true;

    @AttributeDefinition(name = "batch.size", description = "Most events in one push")
    int batch_size() default 1000;

    @AttributeDefinition(name = "batch.bytes", description = "Most bytes of log lines in one push (before gzip)")
    int batch_bytes() default 1_048_576;

    @AttributeDefinition(name = "batch.wait", description = "Longest an event waits for its batch to fill, ms")
    long batch_wait() default 1000;

    @AttributeDefinition(name = "queue.size", description = "Events kept in memory while Loki is slow or away;"
            + " beyond it the oldest are dropped. With a spool they are written to disk once this many wait, and"
            + " up to twice this many wait while they are written; only beyond that are the oldest dropped")
    int queue_size() default 10_000;

    @AttributeDefinition(name = "timeout.connect", description = "Connect timeout, ms")
    long timeout_connect() default 5000;

    @AttributeDefinition(name = "timeout.request", description = "Whole-request timeout, ms")
    long timeout_request() default 10_000;

    @AttributeDefinition(name = "retry.min", description = "First retry delay, ms (doubling, with jitter)")
    long retry_min() default 500;

    @AttributeDefinition(name = "retry.max", description = "Longest retry delay, ms")
    long retry_max() default 60_000;

    @AttributeDefinition(name = "spool.dir", description = "Folder for events that wait through a Loki outage or"
            + " a restart, relative to the home folder; empty: no spool")
    String spool_dir() default "";

    @AttributeDefinition(name = "spool.flush", description = "While Loki fails, or while the spool still holds"
            + " events, or while a push goes unanswered, events waiting in memory are written to the spool at the"
            + " latest this many ms after they arrived (a crash loses at most this window); ms")
    long spool_flush() default 1000;

    @AttributeDefinition(name = "spool.max", description = "Most bytes the spool may hold; beyond it the oldest"
            + " events are dropped")
    long spool_max() default 268_435_456L;
}
