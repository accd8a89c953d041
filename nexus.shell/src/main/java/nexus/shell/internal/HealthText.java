package nexus.shell.internal;

import java.util.Map;

import nexus.core.HealthReport;

/** Renders a {@link HealthReport} as an aligned table for the console. */
final class HealthText {

    private HealthText() {
    }

    static String render(HealthReport report) {
        int width = report.components().keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder text = new StringBuilder("RMA Nexus is ").append(report.status()).append('\n');
        for (Map.Entry<String, HealthReport.Component> entry : report.components().entrySet()) {
            HealthReport.Component c = entry.getValue();
            text.append(String.format("  %-" + width + "s  %-4s  %s%s\n", entry.getKey(), c.status(),
                    c.required() ? "" : "(optional) ", c.detail()));
        }
        if (report.components().isEmpty()) {
            text.append("  no component reports its health\n");
        }
        return text.toString();
    }
}
