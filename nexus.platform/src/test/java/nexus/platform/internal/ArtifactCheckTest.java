package nexus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCheckTest {

    @TempDir
    Path dir;

    private Path jar(String name, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new ZipEntry("a.txt"));
        }
        return file;
    }

    @Test
    void acceptsABundle() throws IOException {
        assertThat(ArtifactCheck.whyNotABundle(jar("ok.jar", "acme.ok"))).isEmpty();
    }

    @Test
    void refusesAPlainJar() throws IOException {
        assertThat(ArtifactCheck.whyNotABundle(jar("lib.jar", null)))
                .contains("its manifest has no Bundle-SymbolicName header");
    }

    @Test
    void refusesAZipWithoutManifest() throws IOException {
        Path file = dir.resolve("nomanifest.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("a.txt"));
        }

        assertThat(ArtifactCheck.whyNotABundle(file)).contains("it has no META-INF/MANIFEST.MF");
    }

    @Test
    void refusesAFileThatIsNotAZip() throws IOException {
        Path file = Files.writeString(dir.resolve("garbage.jar"), "not a jar");

        assertThat(ArtifactCheck.whyNotABundle(file)).contains("it is not a zip file");
    }

    @Test
    void onlyLooksAtJars() {
        assertThat(ArtifactCheck.isJar(Path.of("deploy/acme.jar"))).isTrue();
        assertThat(ArtifactCheck.isJar(Path.of("etc/nexus.rma.cfg"))).isFalse();
    }
}
