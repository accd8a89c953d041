package nexus.api.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code nexus.api.http}, for example {@code etc/nexus.api.http.cfg}. */
@ObjectClassDefinition(name = "RMA Nexus HTTP API", description = "Limits of the HTTP API. The port and the"
        + " address are framework properties (./nexus --port --bind).")
@interface ApiConfig {

    @AttributeDefinition(name = "rows.max", description = "The most rows one request returns; a request's limit may lower it")
    int rows_max() default 10_000;

    @AttributeDefinition(name = "body.max", description = "The largest request body, in bytes")
    int body_max() default 65_536;

    @AttributeDefinition(name = "query.timeout", description = "Milliseconds a query may run (never more than the query"
            + " service's own limit)")
    long query_timeout() default 5_000;

    @AttributeDefinition(name = "tags.max", description = "The most tags GET /api/v1/tags lists")
    int tags_max() default 10_000;

    @AttributeDefinition(name = "allowed.hosts", description = "Names a request's Host header may carry besides the"
            + " address the node listens on (and localhost on loopback): name (any port) or name:port, comma-separated;"
            + " * allows any Host. Protects against DNS rebinding.")
    String[] allowed_hosts() default {};

    @AttributeDefinition(name = "allowed.origins", description = "Origins (scheme://host[:port]) of other web pages that"
            + " may call the API from a browser, comma-separated; * allows every page. Same-origin pages always may.")
    String[] allowed_origins() default {};

    @AttributeDefinition(name = "cors.origins", description = "Origins (scheme://host[:port]) of other web pages that may"
            + " read the API's answers from a browser (CORS), comma-separated; none by default. Each is also allowed by the"
            + " Origin check. * is not accepted: answers are only ever shared with pages named here.")
    String[] cors_origins() default {};

    @AttributeDefinition(name = "metrics.anonymous", description = "Whether GET /metrics is served without credentials"
            + " (a Prometheus without a token); otherwise it needs the permission 'metrics'")
    boolean metrics_anonymous() default false;

    @AttributeDefinition(name = "health.details.anonymous", description = "Whether GET /health shows its components, paths"
            + " and counts to a request without credentials; otherwise only to the permission 'health', and the status"
            + " to everyone")
    boolean health_details_anonymous() default false;
}
