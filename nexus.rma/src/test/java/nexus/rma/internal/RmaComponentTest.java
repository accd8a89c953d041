package nexus.rma.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RmaComponentTest {

    @TempDir
    Path home;

    /** What DS hands over for etc/nexus.rma.cfg read by File Install, besides the file's own keys. */
    private Map<String, Object> installed(String... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", "nexus.rma");
        properties.put("felix.fileinstall.filename", home.resolve("etc/nexus.rma.cfg").toUri().toString());
        properties.put("component.name", "nexus.rma.internal.RmaComponent");
        properties.put("component.id", 7L);
        properties.put(".hidden", "x");
        properties.put("osgi.ds.satisfying.condition.target", "(osgi.condition.id=true)");
        properties.put("active.target", "(nexus.rma.backend=*)");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    @Test
    void acceptsAFileInstallConfigurationWithOnlyKnownKeys() throws IOException {
        mmapFile();

        assertThat(RmaComponent.refusal(installed("backend", "mmap", "mmap.file", "data/rma.mmap",
                "banks", "process:64k"), home.toString())).isNull();
        assertThat(RmaComponent.refusal(installed("backend", "heap"), home.toString())).isNull();
    }

    @Test
    void refusesGarbageKeysNamingThemAndTheFile() {
        String refusal = RmaComponent.refusal(installed("backend", "heap", "\u0001\u00e9x\u0007Q", "=", "zz", ""),
                home.toString());

        assertThat(refusal).startsWith(home.resolve("etc/nexus.rma.cfg") + " has 2 unknown keys ('?éx?Q', 'zz')")
                .contains("no backend was started").doesNotContain("\n").doesNotContain("\u0001");
    }

    @Test
    void refusesAMissingBackendWhileTheMmapFileExists() throws IOException {
        Path file = mmapFile();

        assertThat(RmaComponent.refusal(installed(), home.toString()))
                .isEqualTo(home.resolve("etc/nexus.rma.cfg") + " has no backend key but the mmap file " + file
                        + " exists: no backend was started rather than an empty heap; write backend = mmap"
                        + " (or backend = heap) into it");
        assertThat(RmaComponent.refusal(Map.of("component.id", 3L), home.toString()))
                .as("no configuration at all").startsWith("etc/nexus.rma.cfg has no backend key");
    }

    @Test
    void anEmptyConfigurationWithoutAnMmapFileIsTheHeapDefault() {
        assertThat(RmaComponent.refusal(installed(), home.toString())).isNull();
    }

    private Path mmapFile() throws IOException {
        Path file = home.resolve("data/rma.mmap");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[64]);
        return file;
    }
}
