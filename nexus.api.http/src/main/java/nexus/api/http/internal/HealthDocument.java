package nexus.api.http.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import nexus.core.HealthReport;

/**
 * The JSON shape of {@code GET /health}:
 * {@code {"status": "UP", "components": {"framework": {"status": "UP", "detail": "...", "required": true}}}};
 * a component with figures adds {@code "data": {...}}.
 * Kept separate from the contract record so the wire format is decided here, in one place. Callers
 * that may not see the components get {@link #status} only.
 */
final class HealthDocument {

    private HealthDocument() {
    }

    static Map<String, Object> of(HealthReport report) {
        Map<String, Object> components = new LinkedHashMap<>();
        report.components().forEach((name, c) -> {
            Map<String, Object> component = new LinkedHashMap<>();
            component.put("status", c.status().name());
            component.put("detail", c.detail());
            component.put("required", c.required());
            if (!c.data().isEmpty()) {
                component.put("data", c.data());
            }
            components.put(name, component);
        });
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("status", report.status().name());
        document.put("components", components);
        return document;
    }

    /** The access control's component, whose DOWN means that every request is refused. */
    static final String SECURITY = "security";

    /**
     * @return the status alone: no component, detail, path or count — except one fixed sentence
     *         while access control is DOWN, since then nobody can be admitted to read why
     */
    static Map<String, Object> status(HealthReport report) {
        HealthReport.Component security = report.components().get(SECURITY);
        if (security != null && security.status() == nexus.core.HealthStatus.DOWN) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("status", report.status().name());
            document.put("reason", "access control is DOWN and refuses every request: its configuration (roles or the"
                    + " token store) is not in force; the node's log and nexus:health at the console say which file"
                    + " and why");
            return document;
        }
        return Map.of("status", report.status().name());
    }
}
