package nexus.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one component at one moment.
 *
 * @param status UP, DEGRADED or DOWN
 * @param detail a short sentence for an operator: what is up, or why it is down; never {@code null}
 * @param data   figures for machines (counts, timestamps as ISO-8601 text, flags), in a stable order;
 *               values are strings, numbers, booleans, lists or maps of those; empty when the
 *               component has none; unmodifiable
 */
public record Health(HealthStatus status, String detail, Map<String, Object> data) {

    public Health {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
        data = data == null || data.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** A health without figures. */
    public Health(HealthStatus status, String detail) {
        this(status, detail, Map.of());
    }

    /** @return an UP health with the given detail */
    public static Health up(String detail) {
        return new Health(HealthStatus.UP, detail);
    }

    /** @return a DEGRADED health: serving, with what an operator must look at */
    public static Health degraded(String detail) {
        return new Health(HealthStatus.DEGRADED, detail);
    }

    /** @return a DOWN health with the given reason */
    public static Health down(String reason) {
        return new Health(HealthStatus.DOWN, reason);
    }

    /** @return this health with these figures */
    public Health withData(Map<String, Object> figures) {
        return new Health(status, detail, figures);
    }
}
