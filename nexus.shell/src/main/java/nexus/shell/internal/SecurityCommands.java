package nexus.shell.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.security.Authenticator;
import nexus.security.SecurityAdmin;

/**
 * Access control at the console: {@code nexus:roles}, {@code nexus:whoami}, and {@code nexus:token}
 * ({@link TokenCommand}, a Gogo function of its own so that its three forms parse as one command).
 * The console acts as {@link Console#operator()}. Without the access control bundle
 * ({@code nexus.security}) the commands say so; {@code whoami} then shows that every caller may do
 * everything, which is what the services grant without an access policy. Immediate: it registers
 * {@code nexus:token} when it activates, which a delayed component would do only once
 * {@code roles} or {@code whoami} had been used.
 */
@Component(service = SecurityCommands.class, immediate = true, property = {
        "osgi.command.scope=nexus",
        "osgi.command.function=roles",
        "osgi.command.function=whoami" })
public final class SecurityCommands {

    static final String NOT_RUNNING = "access control is not running (bundle nexus.security): there are no tokens or"
            + " roles, and every caller may do everything; see nexus:health";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SecurityAdmin admin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Authenticator authenticator;

    private ServiceRegistration<Function> token;

    public SecurityCommands() {
    }

    /** For tests: commands on given services, either of which may be {@code null}. */
    SecurityCommands(SecurityAdmin admin, Authenticator authenticator) {
        this.admin = admin;
        this.authenticator = authenticator;
    }

    @Activate
    void activate(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "nexus");
        properties.put("osgi.command.function", TokenCommand.NAME);
        token = context.registerService(Function.class, tokenCommand(), properties);
    }

    @Deactivate
    void deactivate() {
        token.unregister();
    }

    /** @return the {@code token} command, on this component's security admin */
    TokenCommand tokenCommand() {
        return new TokenCommand(this::admin, Console::operator);
    }

    @Descriptor("list the roles in force: permissions, the paths each reads and writes, row cap, time limit, where defined")
    public String roles() {
        return SecurityText.roles(admin().roles());
    }

    @Descriptor("show who the console acts as and what it may do")
    public String whoami() {
        Caller caller = Console.operator();
        SecurityAdmin current = admin;
        if (current == null) {
            return SecurityText.whoami(caller, Access.UNRESTRICTED, NOT_RUNNING);
        }
        Authenticator identities = authenticator;
        String note = identities != null && identities.open()
                ? "the node is open: it has no API token and no JWT issuer yet, so every local client acts as admin"
                : null;
        return SecurityText.whoami(caller, current.access(caller), note);
    }

    private SecurityAdmin admin() {
        SecurityAdmin current = admin;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, NOT_RUNNING);
        }
        return current;
    }
}
