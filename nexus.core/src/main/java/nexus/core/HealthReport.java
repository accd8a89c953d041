package nexus.core;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The health of the node: one entry per registered {@link HealthIndicator}, sorted by name, and an
 * overall status: the worst of the required components' (UP, then DEGRADED, then DOWN).
 *
 * @param status     the overall status
 * @param components the components by name, sorted; unmodifiable
 */
public record HealthReport(HealthStatus status, Map<String, Component> components) {

    /**
     * One component's entry.
     *
     * @param status   UP, DEGRADED or DOWN
     * @param detail   what is up, or why it is down
     * @param required whether this component being DOWN makes the node DOWN
     * @param data     the component's figures ({@link Health#data()}); empty when it has none
     */
    public record Component(HealthStatus status, String detail, boolean required, Map<String, Object> data) {
        public Component {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
            data = data == null ? Map.of() : data;
        }

        /** A component without figures. */
        public Component(HealthStatus status, String detail, boolean required) {
            this(status, detail, required, Map.of());
        }
    }

    public HealthReport {
        Objects.requireNonNull(status, "status");
        components = Collections.unmodifiableMap(new TreeMap<>(components));
    }

    /**
     * Asks every indicator for its health and aggregates the answers. An indicator that throws or
     * answers {@code null} is reported DOWN; two indicators with the same name are both listed
     * (the second as {@code name#2}). With no indicator at all the node is DOWN: nothing vouches
     * for it.
     *
     * @param indicators the indicators to ask; the iteration must be safe against concurrent
     *                   changes (a snapshot list)
     * @return the report
     */
    public static HealthReport of(Iterable<? extends HealthIndicator> indicators) {
        Map<String, Component> components = new TreeMap<>();
        for (HealthIndicator indicator : indicators) {
            String name = nameOf(indicator);
            String unique = name;
            for (int n = 2; components.containsKey(unique); n++) {
                unique = name + "#" + n;
            }
            components.put(unique, ask(indicator));
        }
        HealthStatus overall = components.isEmpty() ? HealthStatus.DOWN : HealthStatus.UP;
        for (Component component : components.values()) {
            if (component.required() && component.status().compareTo(overall) > 0) {
                overall = component.status();
            }
        }
        return new HealthReport(overall, components);
    }

    private static String nameOf(HealthIndicator indicator) {
        try {
            String name = indicator.name();
            return name == null || name.isBlank() ? "unnamed" : name.strip();
        } catch (RuntimeException e) {
            return "unnamed";
        }
    }

    private static Component ask(HealthIndicator indicator) {
        boolean required = true;
        try {
            required = indicator.required();
            Health health = indicator.health();
            if (health == null) {
                return new Component(HealthStatus.DOWN, "the health check returned nothing", required);
            }
            return new Component(health.status(), health.detail(), required, health.data());
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? "no message" : e.getMessage();
            return new Component(HealthStatus.DOWN, "the health check failed: " + why, required);
        }
    }

    /** @return whether the node is UP */
    public boolean isUp() {
        return status == HealthStatus.UP;
    }

    /** @return whether the node serves: UP or DEGRADED (what {@code /health} answers 200 for) */
    public boolean isServing() {
        return status != HealthStatus.DOWN;
    }
}
