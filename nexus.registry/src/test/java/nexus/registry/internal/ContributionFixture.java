package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nexus.registry.Contribution;
import nexus.registry.Contribution.ContributedBank;
import nexus.registry.Registry;
import nexus.registry.Tag;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;
import nexus.rma.internal.RmaBackends;

/**
 * A registry service on a real file (docs/examples/plant.csv: banks process and alarms, 10 tags) and
 * a remote node's memory in the heap, as a federation host keeps it.
 */
final class ContributionFixture {

    final Path dir;
    final Path db;
    final RegistryCopies copies;
    final List<Registry> changes = new ArrayList<>();
    /** The memory a contributor keeps: one bank of 128 bytes. */
    final RmaBackend remote = RmaBackends.heap(List.of(new Bank(0, "remote", 128)));

    ContributionFixture(Path dir) {
        this.dir = dir;
        this.db = dir.resolve("registry.db");
        this.copies = new RegistryCopies(dir.resolve("copies"));
        assertThat(RegistryAdmin.importList(ImportTest.EXAMPLES.resolve("plant.csv"), db).valid()).isTrue();
    }

    RegistryService service(boolean frozen) {
        return new RegistryService(db, frozen, 2, 500, 0, copies, 0, changes::add);
    }

    /** The mirror of node n1: a FLOAT32 at 0 and a BOOL at 4.0 of one bank, with properties. */
    Contribution mirror(String owner, String bank) {
        return new Contribution(owner, List.of(bank(bank, 64)), List.of(
                tag(owner + "/n1/temp", Allocation.of(0, 0, RmaType.FLOAT32), Map.of("node", "n1")),
                tag(owner + "/n1/running", Allocation.bool(0, 4, 0), Map.of())));
    }

    ContributedBank bank(String name, int size) {
        return new ContributedBank(name, size, "sparkplug plant/n1", remote, 0);
    }

    static Tag tag(String path, Allocation allocation, Map<String, String> properties) {
        return new Tag(0, path, allocation, "degC", "mirrored " + path, false, null, null, properties);
    }

    /** Builds the other example elsewhere and moves it over the served file, as an operator would. */
    void replaceWithJsonPlant() throws IOException {
        Path next = dir.resolve("next.db");
        assertThat(RegistryAdmin.importList(ImportTest.EXAMPLES.resolve("plant.json"), next).valid()).isTrue();
        Files.move(next, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return how many tags the users' view {@code tags} of this file lists */
    static long tagsIn(Path file) throws SQLException {
        try (Connection connection = Sqlite.readOnly(file); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM tags")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** @return the block read through the memory at this allocation */
    static BlockRead read(RmaBackend memory, Allocation allocation) {
        BlockRead block = new BlockRead(16).target(allocation.bank(), allocation.byteOffset(), allocation.length());
        memory.read(block);
        return block;
    }
}
