package nexus.registry;

/** An alarm's severity, lowest first. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL
}
