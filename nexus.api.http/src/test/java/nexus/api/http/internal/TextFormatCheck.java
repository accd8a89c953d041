package nexus.api.http.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict, line-by-line reading of the Prometheus text format 0.0.4 for tests, standing in for
 * {@code promtool check metrics} (which is not installed on the build machines): it reports every
 * line that breaks the format or promtool's lint rules, and reads the samples of a valid text.
 *
 * <p>Stricter than Prometheus where our writer has one way of doing things: per family exactly
 * one {@code # HELP} line (non-empty) followed by exactly one {@code # TYPE} line, then its samples;
 * a family never appears twice; no blank or comment lines; the text ends with a line feed.
 */
final class TextFormatCheck {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern VALUE = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|[+-]Inf|NaN");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** A sample as read: full name, labels in order, value as written. */
    record Sample(String name, Map<String, String> labels, String value) {
    }

    private final List<String> problems = new ArrayList<>();
    private final List<Sample> samples = new ArrayList<>();
    private final Set<String> families = new HashSet<>();
    private final Set<String> series = new HashSet<>();
    private final Map<String, Boolean> infBucket = new LinkedHashMap<>();
    private String family;
    private String type;
    private String pendingHelp;
    private int line;

    private TextFormatCheck() {
    }

    /** @return every problem found, each naming its line; empty when the text is valid */
    static List<String> problems(String text) {
        return read(text).problems;
    }

    /** @return the samples of a text that must be valid */
    static List<Sample> samples(String text) {
        TextFormatCheck check = read(text);
        if (!check.problems.isEmpty()) {
            throw new AssertionError("not valid Prometheus text: " + check.problems);
        }
        return check.samples;
    }

    private static TextFormatCheck read(String text) {
        TextFormatCheck check = new TextFormatCheck();
        if (text.isEmpty()) {
            return check;
        }
        if (!text.endsWith("\n")) {
            check.problems.add("the text does not end with a line feed");
        }
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length; // the last split is after the last line feed
        for (int i = 0; i < count; i++) {
            check.line++;
            check.line(lines[i]);
        }
        check.closeFamily();
        return check;
    }

    private void line(String l) {
        if (l.isEmpty()) {
            problem("a blank line");
        } else if (l.startsWith("# HELP ")) {
            help(l.substring(7));
        } else if (l.startsWith("# TYPE ")) {
            type(l.substring(7));
        } else if (l.startsWith("#")) {
            problem("a comment line that is neither HELP nor TYPE: " + l);
        } else {
            sample(l);
        }
    }

    private void help(String rest) {
        int space = rest.indexOf(' ');
        String name = space < 0 ? rest : rest.substring(0, space);
        String help = space < 0 ? "" : rest.substring(space + 1);
        closeFamily();
        if (!METRIC_NAME.matcher(name).matches()) {
            problem("HELP of an invalid metric name '" + name + "'");
        }
        if (!families.add(name)) {
            problem("family " + name + " appears a second time");
        }
        if (help.isBlank()) {
            problem("family " + name + " has no help text (promtool lint)");
        }
        for (int i = 0; i < help.length(); i++) {
            if (help.charAt(i) == '\\') {
                char next = i + 1 < help.length() ? help.charAt(i + 1) : ' ';
                if (next != '\\' && next != 'n') {
                    problem("HELP of " + name + " has an escape other than \\\\ or \\n");
                }
                i++;
            }
        }
        family = name;
        type = null;
        pendingHelp = name;
    }

    private void type(String rest) {
        String[] parts = rest.split(" ", -1);
        if (parts.length != 2) {
            problem("TYPE line is not '# TYPE <name> <type>': " + rest);
            return;
        }
        if (!parts[0].equals(pendingHelp)) {
            problem("TYPE of " + parts[0] + " does not follow its HELP line");
        }
        if (!TYPES.contains(parts[1])) {
            problem("unknown type '" + parts[1] + "' for " + parts[0]);
        }
        if ("counter".equals(parts[1]) && !parts[0].endsWith("_total")) {
            problem("counter " + parts[0] + " does not end in _total (promtool lint)");
        }
        pendingHelp = null;
        type = parts[1];
    }

    private void sample(String l) {
        if (family == null || type == null) {
            problem("a sample before any HELP and TYPE lines: " + l);
            return;
        }
        int end = 0;
        while (end < l.length() && l.charAt(end) != '{' && l.charAt(end) != ' ') {
            end++;
        }
        String name = l.substring(0, end);
        Map<String, String> labels = new LinkedHashMap<>();
        int at = end;
        if (at < l.length() && l.charAt(at) == '{') {
            at = labels(l, at + 1, labels);
            if (at < 0) {
                return;
            }
        }
        if (at >= l.length() || l.charAt(at) != ' ') {
            problem("no space before the value: " + l);
            return;
        }
        String[] rest = l.substring(at + 1).split(" ", -1);
        if (rest.length > 2 || !VALUE.matcher(rest[0]).matches()) {
            problem("'" + l.substring(at + 1) + "' is not a value (and optional timestamp): " + l);
            return;
        }
        String suffix = name.startsWith(family) ? name.substring(family.length()) : null;
        boolean fits = suffix != null && switch (type) {
            case "histogram" -> suffix.equals("_bucket") || suffix.equals("_sum") || suffix.equals("_count");
            case "summary" -> suffix.isEmpty() || suffix.equals("_sum") || suffix.equals("_count");
            default -> suffix.isEmpty();
        };
        if (!fits) {
            problem("sample " + name + " does not belong to the " + type + " family " + family + " above it");
        }
        if ("_bucket".equals(suffix)) {
            String le = labels.remove("le");
            if (le == null || !VALUE.matcher(le).matches()) {
                problem("bucket without a numeric le label: " + l);
            } else {
                infBucket.merge(labels.toString(), le.equals("+Inf"), Boolean::logicalOr);
            }
            if (le != null) {
                labels.put("le", le);
            }
        }
        if (!series.add(name + labels)) {
            problem("series " + name + labels + " appears twice");
        }
        samples.add(new Sample(name, labels, rest[0]));
    }

    /** @return the index after the closing brace and its labels read, or -1 after a problem */
    private int labels(String l, int at, Map<String, String> labels) {
        while (true) {
            int equals = l.indexOf('=', at);
            if (equals < 0) {
                problem("a label without '=': " + l);
                return -1;
            }
            String name = l.substring(at, equals);
            if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
                problem("invalid label name '" + name + "': " + l);
            }
            if (equals + 1 >= l.length() || l.charAt(equals + 1) != '"') {
                problem("label value not quoted: " + l);
                return -1;
            }
            StringBuilder value = new StringBuilder();
            int i = equals + 2;
            for (; i < l.length() && l.charAt(i) != '"'; i++) {
                char c = l.charAt(i);
                if (c == '\\') {
                    char next = i + 1 < l.length() ? l.charAt(i + 1) : ' ';
                    switch (next) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> problem("label value with an escape other than \\\\, \\\" or \\n: " + l);
                    }
                    i++;
                } else {
                    value.append(c);
                }
            }
            if (i >= l.length()) {
                problem("label value not closed: " + l);
                return -1;
            }
            if (labels.put(name, value.toString()) != null) {
                problem("label " + name + " twice: " + l);
            }
            i++;
            if (i < l.length() && l.charAt(i) == '}') {
                return i + 1;
            }
            if (i >= l.length() || l.charAt(i) != ',') {
                problem("labels not separated by ',' or closed by '}': " + l);
                return -1;
            }
            at = i + 1;
        }
    }

    private void closeFamily() {
        if (pendingHelp != null) {
            problem("HELP of " + pendingHelp + " is not followed by its TYPE line");
            pendingHelp = null;
        }
        if ("histogram".equals(type)) {
            infBucket.forEach((labels, hasInf) -> {
                if (!hasInf) {
                    problem("histogram " + family + labels + " has no le=\"+Inf\" bucket");
                }
            });
        }
        infBucket.clear();
    }

    private void problem(String text) {
        problems.add("line " + line + ": " + text);
    }
}
