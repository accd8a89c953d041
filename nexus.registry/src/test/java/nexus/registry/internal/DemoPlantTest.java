package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.registry.Tag;
import nexus.registry.ValidationReport;

class DemoPlantTest {

    @TempDir
    Path dir;

    @Test
    void tenThousandTagsFitTheDefaultBanks() {
        Path db = dir.resolve("demo.db");

        ValidationReport report = DemoPlant.write(db, 10_000);

        assertThat(report.valid()).isTrue();
        RegistryLoader.Result loaded = RegistryLoader.load(db, 1, 1, 1_000);
        assertThat(loaded.report().valid()).isTrue();
        LoadedRegistry registry = loaded.registry();
        assertThat(registry.index().size()).isBetween(10_000, 10_006);
        assertThat(registry.banks()).extracting(b -> b.name() + ":" + b.size())
                .as("the default RMA layout, process:64k, alarms:8k").containsExactly("process:65536", "alarms:8192");
        assertThat(registry.alarms().size()).isBetween(200, 800);
        Tag level = registry.tag("site1/area1/line1/tank2/level").orElseThrow();
        assertThat(level.unit()).isEqualTo("%");
        assertThat(level.properties()).containsEntry("simulate", "sine").containsEntry("asset", "tank2");
        assertThat(registry.tag("site1/area1/line1/tank2/level_sp").orElseThrow().writable()).isTrue();
        registry.retire();
    }

    @Test
    void theSameSizeGivesTheSamePlant() {
        var a = DemoPlant.generate(1_000);
        var b = DemoPlant.generate(1_000);

        assertThat(a.tags).extracting(t -> t.path).isEqualTo(b.tags.stream().map(t -> t.path).toList());
        assertThat(a.alarms.size()).isEqualTo(b.alarms.size());
    }
}
