package nexus.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code nexus.security}, for example {@code etc/nexus.security.cfg}. */
@ObjectClassDefinition(name = "RMA Nexus identities", description = "How requests are authenticated: the role of a"
        + " request without credentials, how failed authentications are slowed down, stream tickets.")
@interface SecurityConfig {

    @AttributeDefinition(name = "anonymous.role", description = "The role a request without credentials acts in once"
            + " the node has identities (an API token or a JWT issuer). Empty (the default): such a request is refused"
            + " with 401. While the node has no identities at all, every request acts as admin (open mode).")
    String anonymous_role() default "";

    @AttributeDefinition(name = "failures.max", description = "Failed authentications from one address within"
            + " failures.window.s after which further requests from it are refused with 429 until the window ends"
            + " (1 to 1000000)")
    int failures_max() default 10;

    @AttributeDefinition(name = "failures.window.s", description = "The window in which failures are counted per"
            + " address, seconds from the address's first failure (1 to 86400)")
    int failures_window_s() default 60;

    @AttributeDefinition(name = "failures.addresses", description = "The most addresses whose failures are"
            + " remembered; beyond, the one whose window started first is forgotten (1 to 1000000)")
    int failures_addresses() default 10_000;

    @AttributeDefinition(name = "tickets.ttl.s", description = "How long a stream ticket may be presented after it"
            + " was issued, seconds (1 to 300)")
    int tickets_ttl_s() default 30;

    @AttributeDefinition(name = "tickets.max", description = "The most tickets waiting to be redeemed; beyond, the"
            + " oldest is dropped (1 to 1000000)")
    int tickets_max() default 10_000;
}
