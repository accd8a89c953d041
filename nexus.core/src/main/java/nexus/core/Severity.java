package nexus.core;

/** An alarm's severity, lowest first. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL
}
