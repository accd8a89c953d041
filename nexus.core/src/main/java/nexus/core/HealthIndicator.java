package nexus.core;

import java.util.Objects;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A component that reports its health. Register one as an OSGi service (any bundle, at any time);
 * {@code GET /health} and the shell command {@code nexus:health} pick it up and drop it again when
 * the service goes away.
 *
 * <p>Implementations must be thread-safe and cheap: {@link #health()} is called on every health
 * request, must not block on I/O and should answer from state the component already keeps. An
 * indicator that throws is reported DOWN with the exception's message.
 */
@ConsumerType
public interface HealthIndicator {

    /**
     * @return the component's name in the health report: short, stable, lower case
     *         (for example {@code framework}, {@code registry}, {@code loki})
     */
    String name();

    /**
     * @return whether the node is unhealthy while this component is DOWN. Optional components
     *         (an integrator's add-on, a sink that is not configured) return {@code false}: they
     *         are listed but do not turn the node DOWN.
     */
    default boolean required() {
        return true;
    }

    /** @return the component's health now; never {@code null} */
    Health health();

    /**
     * An indicator from a name and a function, for components whose health is one expression.
     *
     * @param name     the component's name
     * @param required whether the node is DOWN while this component is DOWN
     * @param health   answers the component's health; same rules as {@link #health()}
     * @return the indicator
     */
    static HealthIndicator of(String name, boolean required, Supplier<Health> health) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(health, "health");
        return new HealthIndicator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean required() {
                return required;
            }

            @Override
            public Health health() {
                return health.get();
            }
        };
    }
}
