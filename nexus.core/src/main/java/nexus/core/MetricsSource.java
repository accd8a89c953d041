package nexus.core;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a bundle that has figures to show in {@code GET /metrics} registers one as an OSGi
 * service. The metrics endpoint asks every registered source on every scrape and writes what it
 * answers in the Prometheus text format, so a leaf bundle (a sink, an integrator's add-on) adds
 * metrics without the endpoint knowing it.
 *
 * <p>Implementations must be thread-safe and cheap: answer from counters the component already
 * keeps, never block on I/O. A source that throws is left out of that scrape.
 */
@ConsumerType
public interface MetricsSource {

    /** @return the source's metric families now; names start with {@code nexus_} */
    List<MetricFamily> metrics();
}
