package nexus.security.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.security.Authenticator;

/**
 * Keeps an open node (no identities yet: every client is admin) off the network. When HTTP listens
 * on anything but loopback ({@code ./nexus --bind}, the framework property
 * {@value #HOST}) while the {@link Authenticator} is open, RMA Nexus refuses to start: one line on
 * standard error and in the log says what to configure, and the process exits with
 * {@value #REFUSED} ({@code EX_CONFIG} of sysexits.h, so that a service manager can be told not to
 * restart it). {@code ./nexus --insecure} (the framework property {@value #INSECURE}) allows it with a
 * WARN at start and the {@code exposure} component DEGRADED in {@code /health} while the node stays
 * open.
 *
 * <p>The check is made once, when the authenticator is there (tokens are created from the console
 * at run time, so a node whose token store holds tokens starts normally); {@link #health()} follows
 * the authenticator afterwards: a node on the network whose last identity was removed is DOWN. The
 * authenticator is an optional, greedy reference so that this component is there (and says so in
 * {@code /health}) before the authenticator is, and checks again when it comes or is replaced.
 */
@Component(service = HealthIndicator.class, immediate = true)
public final class ExposureCheck implements HealthIndicator {

    /** The framework property holding the address HTTP listens on (Felix HTTP's own; unset: every interface). */
    static final String HOST = "org.apache.felix.http.host";
    /** The framework property that allows an open node on the network: {@code ./nexus --insecure}. */
    static final String INSECURE = "nexus.insecure";
    /** The exit status of a refused start: {@code EX_CONFIG} (78) of sysexits.h. */
    static final int REFUSED = 78;

    private static final Logger LOG = LoggerFactory.getLogger(ExposureCheck.class);
    /** Whether this JVM is already on its way out: DS may activate the component again meanwhile. */
    private static final AtomicBoolean REFUSING = new AtomicBoolean();
    /** Whether the --insecure warning was given: once per start, however often DS activates the component. */
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final Authenticator authenticator;
    private final String address;
    private final boolean exposed;
    private final boolean insecure;
    /** Whether the node has had identities this run: from then on --insecure opens it no more. */
    private volatile boolean identified;

    @Activate
    public ExposureCheck(
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            Authenticator authenticator,
            BundleContext context) {
        this(authenticator, context.getProperty(HOST), Boolean.parseBoolean(context.getProperty(INSECURE)),
                ExposureCheck::refuseStart);
    }

    /**
     * @param authenticator the authenticator, or {@code null} while there is none
     * @param host          the address HTTP listens on, {@code null} or blank for every interface
     * @param insecure      whether an open node may listen beyond loopback
     * @param refuse        called with the one line that says why the node must not run (logs and prints
     *                      it, and exits)
     */
    ExposureCheck(Authenticator authenticator, String host, boolean insecure, Consumer<String> refuse) {
        this.authenticator = authenticator;
        this.address = host == null || host.isBlank() ? "every interface" : host.strip();
        this.exposed = !loopback(host);
        this.insecure = insecure;
        if (exposed && authenticator != null && authenticator.open()) {
            if (insecure && WARNED.compareAndSet(false, true)) {
                String warning = "RMA Nexus listens on " + address + " with no identities (--insecure): every client that"
                        + " reaches the port is admin. " + whatToConfigure();
                LOG.warn(warning);
                System.err.println("nexus: warning: " + warning);
            } else if (!insecure) {
                String refusal = "refusing to start: HTTP listens on " + address + " and RMA Nexus has no identities yet, so"
                        + " every client that reaches the port would be admin. " + whatToConfigure()
                        + ", or start with --insecure to accept that";
                refuse.accept(refusal);
            }
        }
    }

    private static String whatToConfigure() {
        return "Start it on 127.0.0.1 and create a token with 'nexus:token create NAME ROLE', or configure a JWT issuer"
                + " (docs/security.md)";
    }

    /**
     * @return whether {@code host} is a loopback address; {@code null} or blank (every interface), an
     *         address of a network interface and a name that does not resolve are not
     */
    static boolean loopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String name = host.strip();
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Logs and prints the line once, and exits from a thread of its own: the shutdown hook stops the
     * framework, which waits for SCR, which is activating this component.
     */
    private static void refuseStart(String refusal) {
        if (!REFUSING.compareAndSet(false, true)) {
            return;
        }
        LOG.error(refusal);
        System.err.println("nexus: " + refusal);
        Thread exit = new Thread(() -> System.exit(REFUSED), "nexus-security-refuse-start");
        exit.start();
    }

    @Override
    public String name() {
        return "exposure";
    }

    @Override
    public Health health() {
        if (!exposed) {
            return Health.up("HTTP on " + address + " (loopback only)");
        }
        if (authenticator == null) {
            return Health.down("HTTP on " + address + " and nobody checks identities yet (no authenticator is running)");
        }
        if (!authenticator.open()) {
            identified = true;
            return Health.up("HTTP on " + address + "; identities are configured");
        }
        if (insecure && !identified) {
            return Health.degraded("HTTP on " + address + " with no identities: every client is admin; create a token or"
                    + " configure a JWT issuer (started with --insecure)");
        }
        return Health.down("HTTP on " + address + " with no identities: nobody is admitted without credentials; create a"
                + " token or configure a JWT issuer");
    }
}
