package nexus.shell.internal;

import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.core.HealthIndicator;
import nexus.core.HealthReport;

/** {@code nexus:health}: the same report as {@code GET /health}, as a table. */
@Component(service = HealthCommand.class, property = {
        "osgi.command.scope=nexus",
        "osgi.command.function=health" })
public final class HealthCommand {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<HealthIndicator> indicators;

    @Descriptor("show the health of every component (the same report as GET /health)")
    public String health() {
        return HealthText.render(HealthReport.of(List.copyOf(indicators)));
    }
}
