package nexus.registry;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of validating a registry file or a tag list: every problem, not just the first.
 *
 * @param source   the file validated
 * @param tags     how many tags were read
 * @param alarms   how many alarm definitions were read
 * @param problems every problem found; empty when valid
 * @param millis   how long validation took
 */
public record ValidationReport(String source, int tags, int alarms, List<Problem> problems, long millis) {

    public ValidationReport {
        Objects.requireNonNull(source, "source");
        problems = List.copyOf(problems);
    }

    /** @return whether there is no problem */
    public boolean valid() {
        return problems.isEmpty();
    }

    /** @return the report as an operator reads it: a summary line, then one line per problem */
    public String describe() {
        StringBuilder text = new StringBuilder(source).append(": ").append(tags).append(" tags, ").append(alarms)
                .append(" alarms, ");
        text.append(valid() ? "valid" : problems.size() + " problems").append(" (").append(millis).append(" ms)");
        for (Problem problem : problems) {
            text.append("\n  ").append(problem);
        }
        return text.toString();
    }
}
