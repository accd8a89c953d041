package nexus.rma.internal;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
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

import nexus.core.ErrorCode;
import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.NexusException;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/**
 * Registers the configured backend (PID {@code nexus.rma}) as an {@link RmaBackend} service with
 * ranking 0, and reports {@code rma} health for whichever backend is in use: an integrator's
 * backend with a higher ranking takes over, and the configured one returns when it leaves. A new
 * configuration re-creates this component, which swaps the backend.
 *
 * <p>A configuration is refused, leaving no configured backend and {@code rma} DOWN, when it has keys
 * this component does not know (a garbled file) or has no {@code backend} while the mmap file
 * exists: falling back to an empty heap there would serve made-up values as GOOD and cut external
 * writers off.
 */
@Component(configurationPid = "nexus.rma", service = HealthIndicator.class, immediate = true)
@Designate(ocd = RmaConfig.class)
public final class RmaComponent implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(RmaComponent.class);

    /** The configuration keys of {@link RmaConfig}. */
    static final Set<String> KEYS = Set.of("backend", "mmap.file", "banks");

    /** Keys DS itself reads from a configuration: the target and minimum cardinality of the reference. */
    private static final Set<String> FRAMEWORK_KEYS = Set.of("active.target", "active.cardinality.minimum");

    private static final String CONFIG_FILE = "etc/nexus.rma.cfg";

    private final ServiceRegistration<RmaBackend> registration;
    private final RmaBackend configured;
    private final String problem;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend active;

    @Activate
    public RmaComponent(BundleContext context, RmaConfig config, Map<String, Object> properties) {
        RmaBackend backend = null;
        String home = context.getProperty("nexus.home");
        String failure = refusal(properties, home);
        if (failure != null) {
            LOG.error("No RMA backend: {}", failure);
        } else {
            try {
                backend = create(config, home);
            } catch (NexusException e) {
                failure = e.getMessage();
                LOG.error("No RMA backend: {}. Fix {}; the rest of RMA Nexus keeps running.", failure,
                        configFile(properties));
            }
        }
        this.configured = backend;
        this.problem = failure;
        if (backend == null) {
            this.registration = null;
            return;
        }
        Dictionary<String, Object> service = new Hashtable<>();
        service.put(RmaBackend.BACKEND_PROPERTY, backend.name());
        service.put(Constants.SERVICE_RANKING, 0);
        this.registration = context.registerService(RmaBackend.class, backend, service);
        LOG.info("RMA backend {} ready: {}", backend.name(), BankLayout.format(backend.banks()));
    }

    /**
     * @param properties the component's properties: the configuration's keys plus those of
     *                   Configuration Admin, DS and File Install
     * @param home       the RMA Nexus home folder, or null for the working folder
     * @return why this configuration must not be used (one line naming the file to fix), or null
     */
    static String refusal(Map<String, ?> properties, String home) {
        String config = configFile(properties);
        List<String> unknown = properties.keySet().stream()
                .filter(key -> !KEYS.contains(key) && !FRAMEWORK_KEYS.contains(key) && !key.startsWith("service.")
                        && !key.startsWith("component.") && !key.startsWith("osgi.")
                        && !key.startsWith("felix.fileinstall.") && !key.startsWith("."))
                .sorted()
                .toList();
        if (!unknown.isEmpty()) {
            String shown = unknown.stream().limit(5).map(RmaComponent::printable).collect(Collectors.joining(", "));
            return config + " has " + unknown.size() + " unknown key" + (unknown.size() == 1 ? "" : "s") + " ("
                    + shown + (unknown.size() > 5 ? ", ..." : "") + "): it is damaged or mistyped, so no backend was"
                    + " started; the known keys are backend, mmap.file and banks";
        }
        if (!properties.containsKey("backend")) {
            Object value = properties.get("mmap.file");
            Path file;
            try {
                file = resolve(value == null ? "data/rma.mmap" : value.toString(), home);
            } catch (InvalidPathException e) {
                return config + " has no backend key and an mmap.file that is not a path (" + e.getReason()
                        + "): it is damaged, so no backend was started";
            }
            if (Files.exists(file)) {
                return config + " has no backend key but the mmap file " + file + " exists: no backend was started"
                        + " rather than an empty heap; write backend = mmap (or backend = heap) into it";
            }
        }
        return null;
    }

    /** @return the configuration's file as File Install names it, or the usual one */
    private static String configFile(Map<String, ?> properties) {
        Object name = properties.get("felix.fileinstall.filename");
        if (name == null) {
            return CONFIG_FILE;
        }
        String text = name.toString();
        try {
            return text.startsWith("file:") ? Path.of(URI.create(text)).toString() : text;
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** A garbled key shown safely in one log line: control characters and the like become '?'. */
    private static String printable(String key) {
        String shortened = key.length() > 40 ? key.substring(0, 40) + "..." : key;
        StringBuilder out = new StringBuilder(shortened.length() + 2).append('\'');
        shortened.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f || !Character.isDefined(c)
                || Character.getType(c) == Character.SURROGATE || Character.getType(c) == Character.PRIVATE_USE
                || c == 0xFFFD ? '?' : c));
        return out.append('\'').toString();
    }

    private static Path resolve(String name, String home) {
        Path file = Path.of(name.strip());
        return file.isAbsolute() ? file : Path.of(home == null ? "." : home).resolve(file);
    }

    static RmaBackend create(RmaConfig config, String home) {
        List<Bank> banks = BankLayout.parse(config.banks());
        String backend = config.backend() == null ? HeapRmaBackend.NAME : config.backend().strip();
        return switch (backend) {
            case HeapRmaBackend.NAME -> new HeapRmaBackend(banks);
            case MappedRmaBackend.NAME -> MappedRmaBackend.open(resolve(config.mmap_file(), home), banks);
            default -> throw new NexusException(ErrorCode.INVALID_ARGUMENT, "backend '" + config.backend()
                    + "' is unknown: use heap or mmap");
        };
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
        if (configured instanceof BankedBackend banked) {
            banked.close();
        }
    }

    @Override
    public String name() {
        return "rma";
    }

    @Override
    public Health health() {
        RmaBackend backend = active;
        if (backend == null) {
            return Health.down(problem != null ? problem : "no RMA backend is registered");
        }
        if (backend instanceof MappedRmaBackend mapped && mapped.failure() != null) {
            return Health.down(mapped.failure());
        }
        long bytes = backend.banks().stream().mapToLong(Bank::size).sum();
        String detail = "backend " + backend.name() + ": " + backend.banks().size() + " banks, " + bytes + " bytes";
        if (backend != configured && configured != null) {
            detail += " (outranks the configured " + configured.name() + " backend)";
        } else if (backend != configured && problem != null) {
            detail += " (the configured backend failed: " + problem + ")";
        }
        return Health.up(detail);
    }
}
