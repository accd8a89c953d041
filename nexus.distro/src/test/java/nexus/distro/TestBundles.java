package nexus.distro;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** Writes small bundles for the deploy tests, the way an integrator's build would. */
final class TestBundles {

    private TestBundles() {
    }

    /**
     * Writes a bundle holding the classes of {@code nexus.distro.sample}, started by its activator.
     * The file is written beside its target and moved in, so FileInstall never sees half a jar.
     */
    static void sample(Path target, String symbolicName) throws IOException {
        sample(target, symbolicName, "1.0.0");
    }

    /** As {@link #sample(Path, String)}, with the given bundle version. */
    static void sample(Path target, String symbolicName, String version) throws IOException {
        withActivator(target, symbolicName, version, "nexus.distro.sample", "SampleActivator",
                "org.osgi.framework, nexus.core");
    }

    /** Writes a bundle holding an integrator's RMA backend with service ranking 100. */
    static void integratorBackend(Path target) throws IOException {
        withActivator(target, "acme.rma", "1.0.0", "nexus.distro.integrator", "IntegratorActivator",
                "org.osgi.framework, nexus.core, nexus.rma");
    }

    private static void withActivator(Path target, String symbolicName, String version, String pkg, String activator,
            String imports) throws IOException {
        Manifest manifest = manifest(symbolicName);
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        manifest.getMainAttributes().putValue("Bundle-Activator", pkg + "." + activator);
        manifest.getMainAttributes().putValue("Import-Package", imports);
        Bundle probe = FrameworkUtil.getBundle(TestBundles.class);
        write(target, manifest, probe.findEntries(pkg.replace('.', '/'), "*.class", false));
    }

    /** Writes a bundle that imports a package nobody exports, so it cannot resolve. */
    static void unresolvable(Path target, String symbolicName) throws IOException {
        Manifest manifest = manifest(symbolicName);
        manifest.getMainAttributes().putValue("Import-Package", "nexus.does.not.exist");
        write(target, manifest, null);
    }

    /** Writes a file with a .jar name that is not a zip at all. */
    static void garbage(Path target) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temp, "this is not a jar\n");
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Manifest manifest(String symbolicName) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        return manifest;
    }

    private static void write(Path target, Manifest manifest, Enumeration<URL> classes) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream file = Files.newOutputStream(temp); JarOutputStream jar = new JarOutputStream(file, manifest)) {
            while (classes != null && classes.hasMoreElements()) {
                URL url = classes.nextElement();
                String path = url.getPath().startsWith("/") ? url.getPath().substring(1) : url.getPath();
                jar.putNextEntry(new JarEntry(path));
                try (InputStream in = url.openStream()) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
