package nexus.platform.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;

/** Copies the framework's bundle states into {@link BundleSnapshot}s. */
final class FrameworkBundles {

    /** The framework property that lists the folders Felix FileInstall watches, comma-separated. */
    static final String WATCHED_FOLDERS = "felix.fileinstall.dir";

    private final BundleContext context;
    private final List<Path> watched;

    FrameworkBundles(BundleContext context) {
        this.context = context;
        this.watched = watchedFolders(context.getProperty(WATCHED_FOLDERS));
    }

    static List<Path> watchedFolders(String property) {
        if (property == null || property.isBlank()) {
            return List.of();
        }
        return Arrays.stream(property.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> Path.of(s).toAbsolutePath().normalize())
                .toList();
    }

    /**
     * @param location a bundle location
     * @param folders  the watched folders, absolute and normalised
     * @return whether the location names a file inside one of the folders (FileInstall installs
     *         with the file's URI as location, sometimes behind a handler prefix)
     */
    static boolean isInside(String location, List<Path> folders) {
        int file = location.lastIndexOf("file:");
        if (file < 0 || folders.isEmpty()) {
            return false;
        }
        Path path;
        try {
            path = Path.of(URI.create(location.substring(file))).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return false;
        }
        return folders.stream().anyMatch(path::startsWith);
    }

    List<String> watchedFolders() {
        return watched.stream().map(Path::toString).toList();
    }

    List<BundleSnapshot> snapshot() {
        Bundle[] bundles = context.getBundles();
        List<BundleSnapshot> result = new ArrayList<>(bundles.length);
        for (Bundle bundle : bundles) {
            if (bundle.getBundleId() == Constants.SYSTEM_BUNDLE_ID) {
                continue;
            }
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            boolean fragment = revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            String policy = bundle.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY);
            boolean lazy = policy != null && policy.startsWith(Constants.ACTIVATION_LAZY);
            String name = bundle.getSymbolicName() == null ? bundle.getLocation() : bundle.getSymbolicName();
            result.add(new BundleSnapshot(bundle.getBundleId(), name, bundle.getVersion().toString(),
                    stateOf(bundle.getState()), fragment, lazy, isInside(bundle.getLocation(), watched)));
        }
        return result;
    }

    int startLevel() {
        return context.getBundle(Constants.SYSTEM_BUNDLE_ID).adapt(FrameworkStartLevel.class).getStartLevel();
    }

    int targetStartLevel() {
        String beginning = context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        try {
            return beginning == null ? 1 : Integer.parseInt(beginning.strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static BundleSnapshot.State stateOf(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> BundleSnapshot.State.INSTALLED;
            case Bundle.RESOLVED -> BundleSnapshot.State.RESOLVED;
            case Bundle.STARTING -> BundleSnapshot.State.STARTING;
            case Bundle.STOPPING -> BundleSnapshot.State.STOPPING;
            case Bundle.ACTIVE -> BundleSnapshot.State.ACTIVE;
            default -> BundleSnapshot.State.UNINSTALLED;
        };
    }
}
