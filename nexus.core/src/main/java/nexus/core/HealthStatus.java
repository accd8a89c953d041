package nexus.core;

/** Whether a component, or the whole node, can do its job right now. */
public enum HealthStatus {
    /** The component works. */
    UP,
    /**
     * The component does its job, but not as configured: it serves from a fallback, or something an
     * operator must look at is wrong beside it. The detail says what and what to do. A node whose
     * required components are UP or DEGRADED is DEGRADED and still serves ({@code /health} 200).
     */
    DEGRADED,
    /** The component cannot do its job; the detail says why. */
    DOWN
}
