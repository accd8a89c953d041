package nexus.mcp.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import nexus.alarm.AlarmService;
import nexus.core.AccessPolicy;
import nexus.core.AuditTrail;
import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.query.FindService;
import nexus.query.QueryService;
import nexus.query.TagService;
import nexus.security.Authenticator;

/**
 * The MCP server at {@code /mcp}: builds the tools from etc/nexus.mcp.cfg and registers its servlet
 * (the {@link McpGate} before the SDK's stateless transport) as a whiteboard servlet of the node's default context, so that nexus.api.http's filters
 * on {@code /*} — Host/Origin ({@code nexus-origin}) and authentication ({@code nexus-access}) — run
 * before it. It is registered only while both filters are (static references on them): without them
 * there is no {@code /mcp}, rather than one without those checks. Health component {@code mcp}.
 */
@Component(configurationPid = "nexus.mcp", service = HealthIndicator.class)
@Designate(ocd = McpConfig.class)
public final class McpComponent implements HealthIndicator, Backends {

    private static final Logger LOG = LoggerFactory.getLogger(McpComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile QueryService query;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagService tags;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile FindService find;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AlarmService alarms;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditTrail audit;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessPolicy policy;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Authenticator authenticator;

    private final McpEndpoint endpoint;
    private final Toolbox toolbox;
    private final ServiceRegistration<Servlet> registration;
    private final int toolCount;
    private final String settings;
    private final String configProblem;

    @Activate
    public McpComponent(BundleContext context, McpConfig config,
            @Reference(target = "(osgi.http.whiteboard.filter.name=nexus-access)") Filter accessFilter,
            @Reference(target = "(osgi.http.whiteboard.filter.name=nexus-origin)") Filter originFilter) {
        int maxRows = Math.max(1, config.max_rows());
        AgentPolicy agents;
        String problem = null;
        try {
            agents = AgentPolicy.of(config.write_tags(), config.acknowledge_alarms());
        } catch (IllegalArgumentException e) {
            problem = "etc/nexus.mcp.cfg: " + e.getMessage() + "; agents may change nothing until it is fixed";
            LOG.error("{}", problem);
            agents = AgentPolicy.NONE;
        }
        this.configProblem = problem;
        List<ToolDef> all = new ArrayList<>(new ReadTools(this, maxRows).tools());
        all.addAll(new ChangeTools(this, agents, new Confirmations(Duration.ofSeconds(Math.max(10, config.confirmation_seconds()))),
                System::currentTimeMillis).tools());
        this.toolbox = new Toolbox(all, new DefaultJsonSchemaValidator(Schemas.json()),
                new RateLimiter(Math.max(1, config.rate_per_minute()), Math.max(1, config.rate_burst())), this, System::nanoTime);
        this.toolCount = all.size();
        this.settings = "max.rows " + maxRows + ", rate " + config.rate_per_minute() + "/min (burst " + config.rate_burst()
                + "), write.tags " + agents.writeTags() + ", acknowledge.alarms " + agents.acknowledgeAlarms();
        this.endpoint = new McpEndpoint(toolbox, new Browse(this, maxRows), new Identities(() -> authenticator),
                context.getBundle().getVersion().toString());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", McpEndpoint.PATH);
        props.put("osgi.http.whiteboard.servlet.name", "nexus-mcp");
        // so that the access filter can refuse a request without waiting for a body that may not come
        props.put("osgi.http.whiteboard.servlet.asyncSupported", Boolean.TRUE);
        this.registration = context.registerService(Servlet.class, endpoint.servlet(), props);
        LOG.info("MCP server at {}: {} tools; {}", McpEndpoint.PATH, toolCount, settings);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            LOG.debug("the MCP servlet was unregistered already");
        }
        endpoint.close();
        toolbox.flush(); // the refusals by the rate limit still counted
    }

    @Override
    public String name() {
        return "mcp";
    }

    @Override
    public boolean required() {
        return false;
    }

    @Override
    public Health health() {
        if (configProblem != null) {
            return Health.degraded(configProblem);
        }
        if (authenticator == null || query == null || tags == null || find == null) {
            return Health.degraded("serving " + McpEndpoint.PATH + " but " + (authenticator == null ? "nexus.security"
                    : "nexus.query") + " is not running: tool calls are refused");
        }
        return Health.up("serving " + McpEndpoint.PATH + ": " + toolCount + " tools; " + settings)
                .withData(java.util.Map.of("tools", toolCount));
    }

    @Override
    public QueryService query() {
        return query;
    }

    @Override
    public TagService tags() {
        return tags;
    }

    @Override
    public FindService find() {
        return find;
    }

    @Override
    public AlarmService alarms() {
        return alarms;
    }

    @Override
    public AuditTrail audit() {
        return audit;
    }

    @Override
    public AccessPolicy policy() {
        return policy;
    }
}
