package nexus.distro;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.ops4j.pax.exam.Option;

/**
 * Provisions a Pax Exam container with exactly what the exported launcher ({@code target/nexus.jar})
 * runs: its embedded bundles with their start levels and its framework properties. There is no
 * second bundle list to keep in sync; the launcher is the single source.
 */
final class LauncherBundles {

    /** The framework property telling the tests how many bundles the launcher holds. */
    static final String BUNDLE_COUNT = "nexus.it.bundle.count";

    private LauncherBundles() {
    }

    /**
     * @param launcher  the exported launcher jar
     * @param unpackTo  where to unpack the embedded bundles
     * @param overrides framework properties that replace the launcher's (ports, folders)
     * @return the provisioning options
     */
    static Option[] options(Path launcher, Path unpackTo, Map<String, String> overrides) {
        List<Option> options = new ArrayList<>();
        try (JarFile jar = new JarFile(launcher.toFile())) {
            Properties properties = new Properties();
            try (InputStream in = jar.getInputStream(entry(jar, "launcher.properties"))) {
                properties.load(in);
            }
            Files.createDirectories(unpackTo);
            Map<String, Integer> startLevels = startLevels(properties.getProperty("launch.runbundles.attrs", ""));
            for (String location : properties.getProperty("launch.bundles").split(",")) {
                Path file = unpackTo.resolve(Path.of(location).getFileName().toString());
                try (InputStream in = jar.getInputStream(entry(jar, location))) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                int startLevel = startLevels.getOrDefault(symbolicName(file), 1);
                options.add(bundle(file.toUri().toString()).startLevel(startLevel).start());
            }
            for (String key : properties.stringPropertyNames()) {
                if (!key.startsWith("launch.") && !overrides.containsKey(key)) {
                    options.add(frameworkProperty(key).value(properties.getProperty(key)));
                }
            }
            overrides.forEach((key, value) -> options.add(frameworkProperty(key).value(value)));
            options.add(frameworkProperty(BUNDLE_COUNT).value(String.valueOf(properties.getProperty("launch.bundles").split(",").length)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the launcher " + launcher + ": build it with ./mvnw package", e);
        }
        return options.toArray(Option[]::new);
    }

    /** @return the launcher's bundle start levels by symbolic name, from {@code launch.runbundles.attrs} */
    static Map<String, Integer> startLevels(String attrs) {
        Map<String, Integer> levels = new HashMap<>();
        // bsn;version="1.0";startlevel=3,bsn2;... (versions are quoted and contain no commas)
        for (String clause : attrs.split(",")) {
            String[] parts = clause.split(";");
            for (String part : parts) {
                if (part.strip().startsWith("startlevel=")) {
                    levels.put(parts[0].strip(), Integer.parseInt(part.strip().substring("startlevel=".length())));
                }
            }
        }
        return levels;
    }

    private static String symbolicName(Path bundle) throws IOException {
        try (JarFile jar = new JarFile(bundle.toFile())) {
            Manifest manifest = jar.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            return name == null ? "" : name.split(";")[0].strip();
        }
    }

    private static ZipEntry entry(JarFile jar, String name) throws IOException {
        ZipEntry entry = jar.getEntry(name);
        if (entry == null) {
            throw new IOException("the launcher has no " + name);
        }
        return entry;
    }
}
