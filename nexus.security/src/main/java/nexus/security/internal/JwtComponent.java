package nexus.security.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.ErrorCode;
import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.NexusException;

/**
 * JWTs from the plant's identity provider (PID {@code nexus.security.jwt}, present only while that
 * configuration is): a DS shell around {@link IssuerKeys} (the issuer's keys, fetched on their own
 * thread), {@link JwtVerifier} (one JWT's checks) and {@link VerifiedJwtCache} (a verified JWT is
 * not checked again until it expires). Provides {@link JwtCheck} and the {@code jwt} health entry:
 * DOWN while no keys are held or the configuration is refused, DEGRADED while refreshing the keys
 * fails. The entry is not required: API tokens keep the node serving while the identity provider
 * is away. A new configuration restarts the component, with an empty cache.
 */
@Component(configurationPid = "nexus.security.jwt", configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = { JwtCheck.class, HealthIndicator.class })
@Designate(ocd = JwtConfig.class)
public final class JwtComponent implements JwtCheck, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(JwtComponent.class);

    private final Clock clock;
    private final String configProblem;
    private final IssuerKeys keys;
    private final JwtVerifier verifier;
    private final VerifiedJwtCache cache;
    private final LongAdder verified = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder refused = new LongAdder();

    @Activate
    public JwtComponent(BundleContext context, JwtConfig config) {
        this(context.getProperty("nexus.home"), config, Clock.systemUTC());
    }

    /** For tests: a relative {@code jwks.file} is resolved against {@code home}; JWT times are read from {@code clock}. */
    JwtComponent(String home, JwtConfig config, Clock clock) {
        this.clock = clock;
        JwtSettings settings;
        String problem = null;
        try {
            settings = JwtSettings.of(config, home);
        } catch (NexusException e) {
            settings = null;
            problem = e.getMessage();
            LOG.error("JWT configuration refused: {}. Every JWT is refused until it is fixed; API tokens still work.",
                    problem);
        }
        this.configProblem = problem;
        if (settings == null) {
            keys = null;
            verifier = null;
            cache = new VerifiedJwtCache(0);
        } else {
            keys = new IssuerKeys(settings.jwks(), settings.refresh(), clock);
            verifier = new JwtVerifier(settings, keys, clock);
            cache = new VerifiedJwtCache(settings.cacheMax());
            keys.start();
            LOG.info("JWTs accepted from issuer {} for audience {}, keys from {}", settings.issuer(),
                    settings.audience(), settings.jwks().describe());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (keys != null) {
            keys.close();
        }
    }

    // ---- JwtCheck ----

    @Override
    public boolean ready() {
        return verifier != null && keys.held();
    }

    @Override
    public VerifiedJwt verify(String jwt) {
        try {
            if (verifier == null) {
                throw new NexusException(ErrorCode.UNAUTHENTICATED, "JWT refused: the JWT configuration is refused: "
                        + configProblem);
            }
            if (jwt != null) {
                Optional<VerifiedJwt> known = cache.get(jwt, clock.instant());
                if (known.isPresent()) {
                    cacheHits.increment();
                    return known.get();
                }
            }
            VerifiedJwt fresh = verifier.verify(jwt);
            cache.put(jwt, fresh);
            verified.increment();
            return fresh;
        } catch (NexusException e) {
            refused.increment();
            LOG.debug("{}", e.getMessage());
            throw e;
        }
    }

    // ---- HealthIndicator ----

    @Override
    public String name() {
        return "jwt";
    }

    @Override
    public boolean required() {
        return false;
    }

    @Override
    public Health health() {
        if (keys == null) {
            return Health.down("configuration refused: " + configProblem);
        }
        Health health = keys.health();
        Map<String, Object> data = new LinkedHashMap<>(health.data());
        data.put("verified", verified.sum());
        data.put("cacheHits", cacheHits.sum());
        data.put("refused", refused.sum());
        data.put("cached", cache.size());
        return health.withData(data);
    }

    /** For tests: fetches the keys now, on the calling thread. */
    boolean fetchKeys() {
        return keys.fetch();
    }
}
