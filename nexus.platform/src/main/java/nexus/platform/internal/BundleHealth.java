package nexus.platform.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import nexus.core.Health;

/**
 * Judges the framework's bundles. The platform's own bundles (everything not installed from a
 * watched folder) must all be active; integrators' bundles from {@code deploy/} are judged
 * separately, so that a broken add-on is visible without taking the node down.
 */
final class BundleHealth {

    private static final int LISTED = 10;

    private BundleHealth() {
    }

    /**
     * @param bundles         every installed bundle
     * @param startLevel      the framework's active start level
     * @param targetStartLevel the beginning start level the framework is heading for
     * @return UP when the framework has reached its start level and every platform bundle is active
     */
    static Health platform(List<BundleSnapshot> bundles, int startLevel, int targetStartLevel) {
        if (startLevel < targetStartLevel) {
            return Health.down("the framework is starting: start level " + startLevel + " of " + targetStartLevel);
        }
        List<BundleSnapshot> platform = bundles.stream().filter(b -> !b.deployed()).toList();
        List<BundleSnapshot> broken = platform.stream().filter(b -> !b.healthy()).toList();
        if (!broken.isEmpty()) {
            return Health.down(broken.size() + " of " + platform.size() + " platform bundles are not active: "
                    + list(broken));
        }
        return Health.up(platform.size() + " platform bundles active");
    }

    /**
     * @param bundles  every installed bundle
     * @param rejected jars in the watched folders that are not bundles, with the reason, by file name
     * @param folders  the folders FileInstall watches, for the detail
     * @return UP when every bundle installed from a watched folder is active and every jar there
     *         is a bundle (or there is none)
     */
    static Health deployed(List<BundleSnapshot> bundles, Map<String, String> rejected, List<String> folders) {
        List<BundleSnapshot> deployed = bundles.stream().filter(BundleSnapshot::deployed).toList();
        List<BundleSnapshot> broken = deployed.stream().filter(b -> !b.healthy()).toList();
        String watching = folders.isEmpty() ? "no folder is watched" : "watching " + String.join(", ", folders);
        List<String> problems = new ArrayList<>();
        if (!broken.isEmpty()) {
            problems.add(broken.size() + " of " + deployed.size() + " deployed bundles are not active: " + list(broken));
        }
        if (!rejected.isEmpty()) {
            problems.add(rejected.size() + " jars are not bundles: " + rejected.entrySet().stream()
                    .limit(LISTED)
                    .map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(Collectors.joining(", ")));
        }
        if (!problems.isEmpty()) {
            return Health.down(String.join("; ", problems) + "; " + watching);
        }
        return Health.up(deployed.size() + " deployed bundles active; " + watching);
    }

    private static String list(List<BundleSnapshot> broken) {
        String shown = broken.stream().limit(LISTED).map(BundleSnapshot::describe).collect(Collectors.joining(", "));
        return broken.size() > LISTED ? shown + " and " + (broken.size() - LISTED) + " more" : shown;
    }
}
