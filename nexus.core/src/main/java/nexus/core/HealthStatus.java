package nexus.core;

/** Whether a component, or the whole node, can do its job right now. */
public enum HealthStatus {
    /** The component works. */
    UP,
    /** The component cannot do its job; the detail says why. */
    DOWN
}
