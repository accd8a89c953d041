import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.Baseline.Info;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.service.diff.Delta;
import aQute.bnd.service.diff.Diff;
import aQute.bnd.service.diff.Type;
import aQute.bnd.version.Version;

/**
 * Checks a bundle's contract versions against its last landed build with bnd's own baselining
 * (docs/architecture.md, "Contract versions"). The {@code verify} phase of every bundle that exports a
 * package runs it (cnf/pom.xml):
 *
 * <pre>java -cp BNDLIB_AND_ITS_DEPENDENCIES ContractBaseline.java BUNDLE.jar BASELINE_DIR REPORT.txt</pre>
 *
 * <p>A bundle that exports packages is compared with {@code BASELINE_DIR/<Bundle-SymbolicName>.jar}.
 * Each exported package whose version is lower than the change since the baseline needs (bnd's
 * "Baseline mismatch" for that package) is an error, and so is a missing baseline jar: a check with
 * nothing to compare with is not a check. A version raised more than the change needs is a warning
 * (a larger change may be on its way); a package the baseline exported and the bundle no longer does
 * is a warning too. Bundle versions are not contracts: they are reported, never checked. The full
 * report, with bnd's tree of every change, goes to REPORT.txt. Exits 1 on any error, after writing
 * the errors to standard error.
 */
public final class ContractBaseline {

    private ContractBaseline() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java -cp BNDLIB ContractBaseline.java BUNDLE.jar BASELINE_DIR REPORT.txt");
            System.exit(2);
        }
        Path bundle = Path.of(args[0]);
        Path baselines = Path.of(args[1]);
        Path report = Path.of(args[2]);
        List<String> errors = check(bundle, baselines, report);
        if (!errors.isEmpty()) {
            errors.forEach(System.err::println);
            System.exit(1);
        }
    }

    /** @return the errors; none when the contract versions are right or there is no contract */
    static List<String> check(Path bundle, Path baselines, Path report) throws Exception {
        if (!Files.isRegularFile(bundle)) {
            return List.of("No bundle " + bundle + " to baseline: run the check after the package phase.");
        }
        try (Processor bnd = new Processor(); Jar newer = new Jar(bundle.toFile())) {
            String bsn = newer.getBsn();
            String exported = newer.getManifest() == null ? null
                    : newer.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            if (bsn == null || exported == null || new Parameters(exported, bnd).isEmpty()) {
                System.out.println("[baseline] " + bundle.getFileName() + " exports no package: nothing to baseline");
                return List.of();
            }
            Path base = baselines.resolve(bsn + ".jar");
            if (!Files.isRegularFile(base)) {
                return List.of("No baseline for " + bsn + ", which exports " + exported + ": " + base + " is missing."
                        + " Every bundle that exports a contract is compared with its last landed jar:"
                        + " add it with tools/refresh-baseline (docs/architecture.md, \"Contract versions\").");
            }
            try (Jar older = new Jar(base.toFile())) {
                if (!bsn.equals(older.getBsn())) {
                    return List.of(base + " is the baseline of " + older.getBsn() + ", not of " + bsn
                            + ": refresh it with tools/refresh-baseline.");
                }
                return compare(bnd, bsn, newer, older, base, report);
            }
        }
    }

    private static List<String> compare(Processor bnd, String bsn, Jar newer, Jar older, Path base, Path report)
            throws Exception {
        Baseline baseline = new Baseline(bnd, new DiffPluginImpl());
        List<Info> infos = new ArrayList<>(baseline.baseline(newer, older, null));
        infos.sort(Comparator.comparing(info -> info.packageName));
        if (!bnd.isOk()) {
            return List.of("bnd could not baseline " + bsn + ": " + bnd.getErrors());
        }

        List<String> errors = new ArrayList<>();
        List<String> table = new ArrayList<>();
        StringBuilder changes = new StringBuilder();
        table.add(String.format("%s %s against %s %s (%s); bundle versions are not checked (bnd would say %s)",
                bsn, newer.getVersion(), older.getBsn(), older.getVersion(), base.getFileName(),
                baseline.getBundleInfo().suggestedVersion));
        table.add(String.format("  %-30s %-9s %-9s %-9s %-9s %s", "package", "delta", "new", "old", "suggest",
                "verdict"));
        for (Info info : infos) {
            Delta delta = info.packageDiff.getDelta();
            String verdict = verdict(info, delta);
            table.add(String.format("  %-30s %-9s %-9s %-9s %-9s %s", info.packageName, delta, info.newerVersion,
                    shown(info.olderVersion), shown(info.suggestedVersion), verdict));
            if (info.mismatch) {
                // bnd's own wording (ProjectBuilder's baseline error), then what to do here.
                errors.add(String.format("Baseline mismatch for package %s, %s change. Current is %s, repo is %s,"
                        + " suggest %s or %s%n%s  Raise @Version in %s/package-info.java to %s, or undo the change%s"
                        + " (docs/architecture.md, \"Contract versions\").",
                        info.packageName, delta, info.newerVersion, shown(info.olderVersion), info.suggestedVersion,
                        info.suggestedIfProviders == null ? "-" : info.suggestedIfProviders, causes(info),
                        bsn + "/src/main/java/" + info.packageName.replace('.', '/'), info.suggestedVersion,
                        ifProviders(info)));
            } else if (delta == Delta.REMOVED) {
                table.add("  WARNING " + info.packageName
                        + " is no longer exported: every bundle importing it breaks");
            } else if (!verdict.equals("ok")) {
                table.add(String.format("  WARNING %s is %s, but its change since the baseline needs only %s: fine"
                        + " when a larger change is on its way, else set %s", info.packageName, info.newerVersion,
                        info.suggestedVersion, info.suggestedVersion));
            }
            if (delta != Delta.UNCHANGED) {
                changes.append(String.format("%s%#4S%n", info.packageName, info.packageDiff));
            }
        }
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, String.join(System.lineSeparator(), table) + System.lineSeparator()
                + System.lineSeparator() + changes);
        table.forEach(line -> System.out.println("[baseline] " + line));
        return errors;
    }

    /** @return the additions and removals that make the package's change as large as it is, a line each */
    private static String causes(Info info) {
        List<String> causes = new ArrayList<>();
        causes(info.packageDiff, info.packageDiff.getDelta(), "", causes);
        if (causes.isEmpty()) {
            return info.reason;
        }
        StringBuilder text = new StringBuilder();
        causes.stream().limit(20).forEach(cause -> text.append("  ").append(cause).append(System.lineSeparator()));
        if (causes.size() > 20) {
            text.append("  ... ").append(causes.size() - 20).append(" more in the report")
                    .append(System.lineSeparator());
        }
        return text.toString();
    }

    private static void causes(Diff parent, Delta change, String path, List<String> causes) {
        boolean member = parent.getType() != Type.PACKAGE;
        for (Diff child : parent.getChildren()) {
            Delta delta = child.getDelta();
            if (child.getType() == Type.VERSION) {
                continue;
            }
            boolean cause = switch (delta) {
                // a removal breaks importers; an addition does when it lands inside a type that
                // changed by as much as the package (a method added to a consumer interface)
                case REMOVED -> change == Delta.MAJOR || member && parent.getDelta() == change;
                case ADDED -> change == Delta.MINOR || member && parent.getDelta() == change;
                default -> false;
            };
            if (cause) {
                causes.add(delta + " " + child.getType() + " " + path + child.getName());
            } else if (delta == change) {
                causes(child, change, path + child.getName() + " ", causes);
            }
        }
    }

    /** bnd's second suggestion holds when only the contract's owner implements the changed interfaces. */
    private static String ifProviders(Info info) {
        if (info.suggestedIfProviders == null || info.providers == null || info.providers.isEmpty()) {
            return "";
        }
        return "; " + info.suggestedIfProviders + " would do if " + String.join(", ", info.providers)
                + " were @ProviderType (implemented only by the bundle that owns the contract)";
    }

    private static String verdict(Info info, Delta delta) {
        if (info.mismatch) {
            return "TOO LOW";
        }
        if (delta == Delta.REMOVED) {
            return "removed";
        }
        if (info.suggestedVersion != null && info.newerVersion.compareTo(info.suggestedVersion) > 0) {
            return "ok, above";
        }
        return "ok";
    }

    private static String shown(Version version) {
        return version == null || version.equals(Version.LOWEST) ? "-" : version.toString();
    }
}
