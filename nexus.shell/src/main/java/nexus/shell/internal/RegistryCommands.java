package nexus.shell.internal;

import java.nio.file.Path;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.RegistryStatus;
import nexus.registry.TagRegistry;
import nexus.registry.ValidationReport;

/** {@code nexus:registry}, {@code nexus:validate}, {@code nexus:import}, {@code nexus:export}. */
@Component(service = RegistryCommands.class, property = {
        "osgi.command.scope=nexus",
        "osgi.command.function=registry",
        "osgi.command.function=validate",
        "osgi.command.function=import",
        "osgi.command.function=export" })
public final class RegistryCommands {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagRegistry registry;

    @Descriptor("the registry served: file, version, counts, frozen, last validation")
    public String registry() {
        return RegistryText.status(service().status());
    }

    @Descriptor("registry confirm: after a start from the last good copy, confirm that the RMA banks fit it, so tag"
            + " writes are allowed again")
    public String registry(@Descriptor("confirm") String action) {
        if (!"confirm".equals(action.strip())) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "usage: registry (the status) or registry confirm (allow"
                    + " tag writes on a last good copy); not '" + action + "'");
        }
        return service().confirmFallback(System.getProperty("user.name", "console") + " at the console");
    }

    @Descriptor("validate the served registry file and print the full report")
    public String validate() {
        TagRegistry current = service();
        return current.validate(Path.of(current.status().file())).describe();
    }

    @Descriptor("validate a registry file and print the full report; the file is only read")
    public String validate(@Descriptor("registry file (relative to the home folder)") String file) {
        return service().validate(path(file)).describe();
    }

    @Descriptor("build a registry file from a tag list (.csv or .json); written atomically, only when valid")
    public String _import(@Descriptor("tag list") String list, @Descriptor("registry file to write") String target) {
        ValidationReport report = service().importList(path(list), path(target));
        if (!report.valid()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "nothing written: " + report.describe());
        }
        return "wrote " + path(target) + ": " + report.tags() + " tags, " + report.alarms() + " alarms ("
                + report.millis() + " ms)";
    }

    @Descriptor("write a registry file back as a tag list (.csv or .json), every address explicit")
    public String export(@Descriptor("registry file") String file, @Descriptor("tag list to write") String list) {
        service().exportList(path(file), path(list));
        return "exported " + path(file) + " to " + path(list);
    }

    private TagRegistry service() {
        TagRegistry current = registry;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the registry service is not running: see nexus:health");
        }
        return current;
    }

    /** The home folder files are named against, as ./nexus runs from it; the working folder without one. */
    private volatile Path home;

    @org.osgi.service.component.annotations.Activate
    void activate(org.osgi.framework.BundleContext context) {
        String property = context.getProperty("nexus.home");
        home = property == null || property.isBlank() ? null : Path.of(property);
    }

    private Path path(String text) {
        Path path = Path.of(text.strip());
        Path base = home;
        return (base == null || path.isAbsolute() ? path.toAbsolutePath() : base.resolve(path)).normalize();
    }

    /** Renders the status. */
    static final class RegistryText {
        private RegistryText() {
        }

        static String status(RegistryStatus status) {
            StringBuilder text = new StringBuilder();
            text.append("file       ").append(status.file()).append(status.frozen() ? " (frozen)" : "").append('\n');
            text.append("version    ").append(status.version() == 0 ? "none served" : status.version()).append('\n');
            text.append("tags       ").append(status.tags()).append('\n');
            text.append("alarms     ").append(status.alarms()).append('\n');
            if (status.lastValidation() != null) {
                ValidationReport report = status.lastValidation();
                text.append("validated  ").append(report.valid() ? "valid" : report.problems().size() + " problems")
                        .append(" in ").append(report.millis()).append(" ms (nexus:validate for the full report)\n");
            }
            if (status.problem() != null) {
                text.append("problem    ").append(status.problem()).append('\n');
            }
            return text.toString();
        }
    }
}
