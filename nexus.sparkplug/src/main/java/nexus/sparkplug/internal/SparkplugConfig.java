package nexus.sparkplug.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code nexus.sparkplug} ({@code etc/nexus.sparkplug.cfg}); docs/federation.md,
 * "Configuration". Without the file the bundle does nothing.
 */
@ObjectClassDefinition(name = "RMA Nexus Sparkplug B", description = "Federation over MQTT Sparkplug B 3.0: the broker,"
        + " the edge node's identity in the Sparkplug namespace and the identity its commands act under.")
@interface SparkplugConfig {

    @AttributeDefinition(name = "roles", description = "What the node is in the Sparkplug system: edge (publishes its"
            + " tags), host (mirrors the edge nodes it hears into its namespace), or edge, host")
    String roles() default "edge";

    @AttributeDefinition(name = "broker.urls", description = "MQTT broker URLs, tried in order: tcp://host:1883 or"
            + " ssl://host:8883")
    String broker_urls() default "tcp://127.0.0.1:1883";

    @AttributeDefinition(name = "client.id", description = "The MQTT client id; empty: nexus-<group.id>-<edge.node.id>")
    String client_id() default "";

    @AttributeDefinition(name = "username", description = "The broker user name; empty for none")
    String username() default "";

    @AttributeDefinition(name = "password.file", description = "A file holding the broker password (first line),"
            + " relative to the node's home; empty for none. The password is never written in this file itself")
    String password_file() default "";

    @AttributeDefinition(name = "tls.truststore", description = "A PKCS#12 trust store with the broker's CA, for ssl://"
            + " URLs; empty: the JVM's trusted CAs")
    String tls_truststore() default "";

    @AttributeDefinition(name = "tls.keystore", description = "A PKCS#12 key store with this node's client certificate"
            + " and key, for brokers that authenticate clients by certificate; empty for none")
    String tls_keystore() default "";

    @AttributeDefinition(name = "tls.password.file", description = "A file holding the password of the key and trust"
            + " stores (first line); empty when they have none")
    String tls_password_file() default "";

    @AttributeDefinition(name = "qos", description = "The MQTT QoS of NBIRTH and NDATA: 0 (the specification's"
            + " choice) or 1. NDEATH and STATE always use 1")
    int qos() default 0;

    @AttributeDefinition(name = "keepalive.s", description = "The MQTT keep-alive interval, seconds")
    int keepalive_s() default 30;

    @AttributeDefinition(name = "reconnect.min.ms", description = "The first wait before reconnecting, ms; doubles up"
            + " to reconnect.max.ms")
    int reconnect_min_ms() default 1000;

    @AttributeDefinition(name = "reconnect.max.ms", description = "The longest wait between reconnects, ms")
    int reconnect_max_ms() default 30_000;

    @AttributeDefinition(name = "topic.prefix", description = "Prepended to every topic (e.g. plant1/), for a broker"
            + " shared with other systems; empty: the specification's topics, spBv1.0/...")
    String topic_prefix() default "";

    @AttributeDefinition(name = "group.id", description = "The Sparkplug group id of this edge node")
    String group_id() default "nexus";

    @AttributeDefinition(name = "edge.node.id", description = "The Sparkplug edge node id: unique in its group")
    String edge_node_id() default "";

    @AttributeDefinition(name = "edge.user", description = "The identity the edge node acts under: it publishes the"
            + " tags this identity may read, and writes from NCMD are checked against its roles")
    String edge_user() default "sparkplug";

    @AttributeDefinition(name = "edge.roles", description = "The roles of edge.user (comma-separated): built-in ones"
            + " (viewer, operator, engineer, admin) or defined in etc/nexus.security.role-<name>.cfg (docs/security.md)")
    String edge_roles() default "viewer";

    @AttributeDefinition(name = "edge.primary.host", description = "The host application id whose STATE the edge node"
            + " waits for before its birth (Sparkplug 3.0 primary host); empty: birth at once")
    String edge_primary_host() default "";

    @AttributeDefinition(name = "edge.publish.interval.ms", description = "Changes are collected for this long and"
            + " sent as one NDATA, ms")
    int edge_publish_interval_ms() default 100;

    @AttributeDefinition(name = "edge.deadband.absolute", description = "A numeric value is published when it moved"
            + " more than this, in the tag's unit, from the value last published (0: every change); set this or"
            + " edge.deadband.percent, not both")
    double edge_deadband_absolute() default 0;

    @AttributeDefinition(name = "edge.deadband.percent", description = "A numeric value is published when it moved"
            + " more than this percentage (0-100) of the tag's engineering range from the value last published"
            + " (0, or a tag without a range: every change); set this or edge.deadband.absolute, not both")
    double edge_deadband_percent() default 0;

    @AttributeDefinition(name = "edge.command.max.age.ms", description = "An NCMD write whose payload timestamp is"
            + " older than this is refused (a command queued while the node was away must not act late)")
    int edge_command_max_age_ms() default 10_000;

    @AttributeDefinition(name = "edge.alarms", description = "Whether alarm states are published as metrics"
            + " (_nexus/alarms/<name>/...)")
    boolean edge_alarms() default true;

    @AttributeDefinition(name = "edge.metrics.max", description = "The most tags one birth carries; a namespace the"
            + " identity sees that is larger is refused (the edge stays unborn and says why)")
    int edge_metrics_max() default 200_000;

    @AttributeDefinition(name = "host.id", description = "The host application id (its STATE topic is"
            + " spBv1.0/STATE/<host.id>); required for the host role")
    String host_id() default "";

    @AttributeDefinition(name = "host.groups", description = "The Sparkplug groups whose edge nodes the host mirrors"
            + " (comma-separated); required for the host role")
    String host_groups() default "";

    @AttributeDefinition(name = "host.prefix", description = "Mirrored tags are named <host.prefix>/<group>/<edge"
            + " node>/<metric name>")
    String host_prefix() default "sites";

    @AttributeDefinition(name = "host.string.bytes", description = "The bytes a mirrored String metric may hold; a"
            + " longer value is cut to this at a character boundary")
    int host_string_bytes() default 256;

    @AttributeDefinition(name = "host.write.timeout.ms", description = "How long a write to a mirrored tag waits for"
            + " the owning edge node's answer; without one in time the write is answered OUTCOME_UNKNOWN (it may or"
            + " may not have been carried out)")
    int host_write_timeout_ms() default 5000;

    @AttributeDefinition(name = "host.tags.max", description = "The most tags the host mirrors over every edge node; a"
            + " birth that would pass it is not mirrored (said in the log and counted). Each mirrored tag costs heap:"
            + " raise the node's heap with it")
    int host_tags_max() default 300_000;
}
