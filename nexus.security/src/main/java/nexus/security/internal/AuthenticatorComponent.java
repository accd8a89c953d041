package nexus.security.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.HealthStatus;
import nexus.core.MetricFamily;
import nexus.core.MetricsSource;
import nexus.core.NexusException;
import nexus.security.Authenticator;
import nexus.security.Identity;
import nexus.security.Ticket;

/**
 * The authenticator (PID {@code nexus.security}): a DS shell around {@link CredentialCheck} that
 * provides {@link Authenticator}, the {@code security} health entry and the {@code nexus_auth_*}
 * metrics. JWTs are accepted while a {@link JwtCheck} is registered (the JWT component registers one
 * only while an issuer is configured). A new configuration applies without a restart; a refused one
 * keeps the previous settings and shows as DEGRADED.
 */
@Component(configurationPid = "nexus.security", immediate = true,
        service = { Authenticator.class, HealthIndicator.class, MetricsSource.class })
@Designate(ocd = SecurityConfig.class)
public final class AuthenticatorComponent implements Authenticator, HealthIndicator, MetricsSource {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticatorComponent.class);
    static final String OPEN = "open: no identities configured — every local client is admin";

    private final TokenStore store;
    private final RoleBook roles;
    private final CredentialCheck check;
    private volatile SecuritySettings settings;
    private volatile String configProblem;
    private volatile JwtIssuer jwt;

    @Activate
    public AuthenticatorComponent(@Reference TokenStore store, @Reference RoleBook roles, SecurityConfig config,
            org.osgi.framework.BundleContext context) {
        this(store, roles, config, Clock.systemUTC(), exposedOn(context),
                Boolean.parseBoolean(context.getProperty(ExposureCheck.INSECURE)));
    }

    /** For tests: the clock tickets, failure windows, JWT expiry and the store's re-reading go by. */
    AuthenticatorComponent(TokenStore store, RoleBook roles, SecurityConfig config, Clock clock) {
        this(store, roles, config, clock, null);
    }

    AuthenticatorComponent(TokenStore store, RoleBook roles, SecurityConfig config, Clock clock,
            String exposedOn) {
        this(store, roles, config, clock, exposedOn, false);
    }

    /** For tests: a node listening beyond loopback, started with --insecure or not. */
    AuthenticatorComponent(TokenStore store, RoleBook roles, SecurityConfig config, Clock clock,
            String exposedOn, boolean insecure) {
        this.store = store;
        this.roles = roles;
        this.settings = SecuritySettings.DEFAULTS;
        apply(config);
        this.check = new CredentialCheck(store, roles, () -> jwt, () -> settings, clock, exposedOn, insecure);
    }

    /** @return the address HTTP listens on when it is beyond loopback, else null */
    private static String exposedOn(org.osgi.framework.BundleContext context) {
        String host = context.getProperty(ExposureCheck.HOST);
        return ExposureCheck.loopback(host) ? null : (host == null || host.isBlank() ? "every interface" : host.strip());
    }

    @Modified
    void modified(SecurityConfig config) {
        apply(config);
    }

    private void apply(SecurityConfig config) {
        try {
            settings = SecuritySettings.of(config);
            configProblem = null;
        } catch (NexusException e) {
            configProblem = e.getMessage();
            LOG.error("Configuration nexus.security refused: {}. The previous settings stay in force; fix"
                    + " etc/nexus.security.cfg.", e.getMessage());
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindJwt")
    void bindJwt(JwtCheck jwtCheck, Map<String, Object> properties) {
        Object issuer = properties.get(JwtIssuer.ISSUER_PROPERTY);
        jwt = new JwtIssuer(jwtCheck, issuer == null ? null : issuer.toString());
        LOG.info("JWTs are accepted{}", issuer == null ? "" : " from " + issuer);
    }

    void unbindJwt(JwtCheck jwtCheck) {
        JwtIssuer now = jwt;
        if (now != null && now.check() == jwtCheck) {
            jwt = null;
            LOG.info("JWTs are no longer accepted: no issuer is configured");
        }
    }

    // ---- Authenticator ----

    @Override
    public Identity authenticate(String authorization, String address, String via) {
        return check.authenticate(authorization, address, via);
    }

    @Override
    public Ticket issueTicket(Identity identity) {
        return check.issueTicket(identity);
    }

    @Override
    public Identity redeemTicket(String ticket, Identity presenter, String address, String via) {
        return check.redeemTicket(ticket, presenter, address, via);
    }

    @Override
    public Identity console() {
        return check.console();
    }

    @Override
    public boolean open() {
        return check.open();
    }

    // ---- HealthIndicator ----

    @Override
    public String name() {
        return "security";
    }

    @Override
    public Health health() {
        Optional<String> rolesFailure = roles.failure();
        Optional<String> storeFailure = store.failure();
        JwtIssuer issuer = jwt;
        int tokens = store.count();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("open", check.open());
        data.put("tokens", tokens);
        data.put("jwt", issuer != null);
        data.put("ticketsWaiting", check.pendingTickets());
        data.put("addressesWithFailures", check.throttledAddresses());
        if (rolesFailure.isPresent()) {
            return Health.down(rolesFailure.get()).withData(data);
        }
        if (storeFailure.isPresent()) {
            return Health.down(storeFailure.get() + "; every API token is refused until the file is repaired or moved away")
                    .withData(data);
        }
        String detail;
        if (check.open()) {
            detail = OPEN;
        } else {
            detail = tokens + (tokens == 1 ? " token" : " tokens")
                    + (issuer == null ? "" : ", JWT issuer " + (issuer.issuer() == null ? "configured" : issuer.issuer()));
        }
        String problem = configProblem;
        if (problem != null) {
            return new Health(HealthStatus.DEGRADED, "configuration refused: " + problem + "; " + detail, data);
        }
        List<String> refused = roles.refusals();
        if (!refused.isEmpty()) {
            return new Health(HealthStatus.DEGRADED, "role configuration refused, the last good definitions stay in"
                    + " force: " + String.join("; ", refused) + "; " + detail, data);
        }
        String anonymous = settings.anonymousRole();
        if (!anonymous.isEmpty() && !roles.exists(anonymous)) {
            return new Health(HealthStatus.DEGRADED, "anonymous.role '" + anonymous + "' is not a role in force, so"
                    + " requests without credentials may do nothing; " + detail, data);
        }
        return new Health(HealthStatus.UP, detail, data);
    }

    // ---- MetricsSource ----

    @Override
    public List<MetricFamily> metrics() {
        return check.counters().families(store.count());
    }
}
