package nexus.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code nexus.security.jwt}, for example {@code etc/nexus.security.jwt.cfg}. Without
 * it no JWT is accepted (API tokens still are).
 */
@ObjectClassDefinition(name = "RMA Nexus JWTs", description = "Accepts JWTs from the plant's identity provider"
        + " (OIDC): signature checked against the issuer's keys (JWKS), issuer, audience and times checked, user"
        + " and roles taken from claims.")
@interface JwtConfig {

    @AttributeDefinition(name = "issuer", description = "The iss every JWT must carry, exactly, for example"
            + " https://idp.example.com/realms/plant")
    String issuer() default "";

    @AttributeDefinition(name = "audience", description = "A value the JWT's aud must contain, for example the"
            + " client id RMA Nexus is registered under")
    String audience() default "";

    @AttributeDefinition(name = "jwks.url", required = false, description = "Where the issuer's keys are"
            + " fetched: https, or http only to loopback (localhost, 127.0.0.0/8, ::1). Set this or jwks.file.")
    String jwks_url() default "";

    @AttributeDefinition(name = "jwks.file", required = false, description = "A file holding the issuer's keys"
            + " (a JWK set); relative paths are resolved against the home folder. Set this or jwks.url.")
    String jwks_file() default "";

    @AttributeDefinition(name = "roles.claim", required = false, description = "The claim holding the roles: a"
            + " string or an array of strings. A dotted path such as realm_access.roles reaches into objects; a"
            + " top-level claim of exactly this name wins.")
    String roles_claim() default "roles";

    @AttributeDefinition(name = "user.claim", required = false, description = "The claim holding the user's"
            + " name (a string), for example sub or preferred_username; dotted paths as for roles.claim")
    String user_claim() default "sub";

    @AttributeDefinition(name = "algorithms", required = false, description = "The signature algorithms"
            + " accepted: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512")
    String[] algorithms() default { "RS256", "ES256" };

    @AttributeDefinition(name = "clock.skew.s", required = false, description = "How far exp and nbf may be"
            + " off the node's clock, seconds (0 to 600)")
    int clock_skew_s() default 30;

    @AttributeDefinition(name = "jwks.refresh.s", required = false, description = "How often the keys are"
            + " fetched again, seconds (10 to 86400); a JWT naming an unknown key id also fetches them, at most"
            + " once every 10 s")
    int jwks_refresh_s() default 300;

    @AttributeDefinition(name = "cache.max", required = false, description = "How many verified JWTs are kept"
            + " until they expire, so that their signature is checked once (0 to 1000000; 0 keeps none)")
    int cache_max() default 10_000;
}
