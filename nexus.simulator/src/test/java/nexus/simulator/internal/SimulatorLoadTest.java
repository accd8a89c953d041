package nexus.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.registry.RegistryFiles;
import nexus.registry.Tag;
import nexus.rma.RmaBackend;
import nexus.rma.RmaBackends;

/** The simulated tags come from the registry's typed lookup, not from SQL of the simulator's own. */
class SimulatorLoadTest {

    @TempDir
    Path dir;

    @Test
    void simulatesEveryTagWithTheSimulateProperty() throws Exception {
        Path file = dir.resolve("registry.db");
        assertThat(RegistryFiles.demo(file, 500).valid()).isTrue();
        long marked;
        try (Connection db = new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite:" + file);
                Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM tag_property WHERE key = 'simulate'")) {
            row.next();
            marked = row.getLong(1);
        }
        try (RegistryFiles.Opened registry = RegistryFiles.open(file, 1)) {
            RmaBackend rma = RmaBackends.heap(registry.banks());

            Simulation simulation = SimulatorComponent.load(registry);

            assertThat(marked).isPositive();
            assertThat(simulation.size()).isEqualTo((int) marked);
            Tag sine = registry.withProperty("simulate").stream().filter(t -> "sine".equals(t.properties().get("simulate")))
                    .findFirst().orElseThrow();
            assertThat(simulation.step(rma, 15)).isZero();
            nexus.rma.Allocation at = sine.allocation();
            nexus.rma.BlockRead block = new nexus.rma.BlockRead(at.length()).target(at.bank(), at.byteOffset(), at.length());
            rma.read(block);
            assertThat(((Number) nexus.rma.ValueCodec.decode(block.buffer(), 0, at)).doubleValue()).as("a sine tag moved off 0")
                    .isNotZero();
        }
    }
}
