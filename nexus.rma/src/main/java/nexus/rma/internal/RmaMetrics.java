package nexus.rma.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.core.MetricFamily;
import nexus.core.MetricsSource;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/**
 * RMA's figures in {@code /metrics}: each bank's write sequence and size, from the backend in
 * service (the highest ranked); none while there is no backend.
 *
 * <p>The reference is optional: {@code RmaComponent} registers the backend itself, so no bundle
 * declares it as a capability and a mandatory reference would stop the launcher from resolving.
 */
@Component(service = MetricsSource.class)
public final class RmaMetrics implements MetricsSource {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    /** For DS: the backend arrives through the reference. */
    public RmaMetrics() {
    }

    /** For plain Java and tests: the metrics of one backend. */
    public RmaMetrics(RmaBackend backend) {
        this.backend = backend;
    }

    @Override
    public List<MetricFamily> metrics() {
        RmaBackend current = backend;
        return current == null ? List.of() : families(current);
    }

    static List<MetricFamily> families(RmaBackend backend) {
        List<Bank> banks = backend.banks();
        List<MetricFamily.Sample> writes = new ArrayList<>(banks.size());
        List<MetricFamily.Sample> sizes = new ArrayList<>(banks.size());
        for (Bank bank : banks) {
            Map<String, String> label = Map.of("bank", bank.name());
            writes.add(MetricFamily.Sample.of(label, backend.sequence(bank.id())));
            sizes.add(MetricFamily.Sample.of(label, bank.size()));
        }
        return List.of(
                new MetricFamily("nexus_rma_bank_writes_total", MetricFamily.Type.COUNTER,
                        "Completed writes to each RMA bank (its sequence).", writes),
                new MetricFamily("nexus_rma_bank_size_bytes", MetricFamily.Type.GAUGE, "Size of each RMA bank.", sizes));
    }
}
