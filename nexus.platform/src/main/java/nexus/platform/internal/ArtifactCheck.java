package nexus.platform.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/** Tells why a file named {@code *.jar} cannot be installed as an OSGi bundle. */
final class ArtifactCheck {

    private ArtifactCheck() {
    }

    /** @return whether FileInstall would offer the file to a bundle installer at all */
    static boolean isJar(Path file) {
        return file.getFileName() != null && file.getFileName().toString().endsWith(".jar");
    }

    /**
     * @param file a jar file
     * @return the reason the file is not a bundle, or empty when it is one
     */
    static Optional<String> whyNotABundle(Path file) {
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return Optional.of("it has no META-INF/MANIFEST.MF");
            }
            String name = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (name == null || name.isBlank()) {
                return Optional.of("its manifest has no Bundle-SymbolicName header");
            }
            return Optional.empty();
        } catch (ZipException e) {
            return Optional.of("it is not a zip file");
        } catch (IOException e) {
            return Optional.of("it cannot be read: " + e.getMessage());
        }
    }
}
