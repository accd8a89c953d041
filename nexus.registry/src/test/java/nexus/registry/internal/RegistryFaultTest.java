package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.HealthStatus;
import nexus.registry.Registry;
import nexus.rma.Allocation;

/**
 * Fault injection on the served registry file: a seeded random sequence of damage (truncation,
 * overwritten bytes, zeroed pages, garbage, a foreign database, removal), in-place edits valid and
 * invalid, replacements and restarts. After every step: whatever is served was validated (its copy
 * passes {@code quick_check} and its SQL rows agree with its allocation index), versions only grow,
 * and health says DEGRADED exactly while the file on disk is not what is served. A failure prints
 * the seed; replay it with {@code -Dnexus.fault.seed=…}.
 */
class RegistryFaultTest {

    private static final int STEPS = Integer.getInteger("nexus.fault.steps", 60);

    @TempDir
    Path dir;

    private Path file;
    private RegistryService service;
    private long lastVersion;
    private static final long START = System.currentTimeMillis();
    private long ticks;

    @Test
    void whatIsServedIsAlwaysWhatWasValidated() throws Exception {
        long seed = Long.getLong("nexus.fault.seed", System.nanoTime());
        System.out.println("RegistryFaultTest seed " + seed + " (replay with -Dnexus.fault.seed=" + seed + ")");
        Random random = new Random(seed);
        file = dir.resolve("registry.db");
        install("plant.csv");
        service = start();
        List<String> steps = new ArrayList<>();
        try {
            for (int step = 0; step < STEPS; step++) {
                String fault = inject(random);
                steps.add(fault);
                service.poll();
                check(fault);
            }
            try (var copies = Files.list(dir.resolve("copies"))) {
                assertThat(copies.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("v")))
                        .as("only the served version's copy is left").hasSizeLessThanOrEqualTo(1);
            }
        } catch (AssertionError | Exception e) {
            throw new AssertionError("seed " + seed + ", steps " + steps + ": " + e.getMessage(), e);
        } finally {
            service.close();
        }
    }

    private RegistryService start() {
        return new RegistryService(file, false, 2, 500, 0, new RegistryCopies(dir.resolve("copies")), lastVersion, r -> { });
    }

    private String inject(Random random) throws Exception {
        int kind = random.nextInt(12);
        long size = Files.exists(file) ? Files.size(file) : 0;
        switch (kind) {
            case 0 -> {
                long length = size == 0 ? 0 : random.nextLong(size);
                truncate(length);
                return "truncate to " + length;
            }
            case 1 -> {
                long at = size == 0 ? 0 : random.nextLong(size);
                byte[] noise = new byte[1 + random.nextInt(64)];
                random.nextBytes(noise);
                write(at, noise);
                return "overwrite " + noise.length + " bytes at " + at;
            }
            case 2 -> {
                long page = size < 4096 ? 0 : random.nextLong(size / 4096) * 4096;
                write(page, new byte[4096]);
                return "zero page at " + page;
            }
            case 3 -> {
                byte[] garbage = new byte[random.nextInt(20_000)];
                random.nextBytes(garbage);
                replaceWith(garbage);
                return "garbage of " + garbage.length + " bytes";
            }
            case 4 -> {
                Path foreign = dir.resolve("foreign.db");
                Files.deleteIfExists(foreign);
                try (Connection db = Sqlite.create(foreign); Statement statement = db.createStatement()) {
                    statement.execute("CREATE TABLE tag (id INTEGER PRIMARY KEY, path TEXT)");
                }
                move(foreign);
                return "a foreign database";
            }
            case 5 -> {
                Files.deleteIfExists(file);
                return "removed";
            }
            case 6 -> {
                edit("UPDATE tag SET byte_offset = byte_offset + 1 WHERE type = 'FLOAT32'");
                return "in-place edit: misaligned";
            }
            case 7 -> {
                edit("UPDATE tag SET unit = 'u" + random.nextInt(1000) + "' WHERE id = (SELECT min(id) FROM tag)");
                return "in-place edit: a unit";
            }
            case 8 -> {
                install(random.nextBoolean() ? "plant.csv" : "plant.json");
                return "replaced by a valid registry";
            }
            case 9 -> {
                service.close();
                service = start();
                return "restart";
            }
            case 10 -> {
                try (var copies = Files.list(dir.resolve("copies"))) {
                    Path served = copies.filter(p -> p.getFileName().toString().matches("v\\d+\\.db")).findFirst().orElse(null);
                    if (served == null) {
                        return "no served copy to damage";
                    }
                    try (FileChannel channel = FileChannel.open(served, StandardOpenOption.WRITE)) {
                        channel.truncate(channel.size() / 2);
                    }
                    return "damage the served copy " + served.getFileName();
                }
            }
            default -> {
                return "nothing";
            }
        }
    }

    private void check(String fault) throws Exception {
        Registry served;
        try {
            served = service.current();
        } catch (nexus.core.NexusException e) {
            assertThat(service.health().status()).as("nothing served after " + fault).isEqualTo(HealthStatus.DOWN);
            return;
        }
        assertThat(served.version()).as("versions never go back").isGreaterThanOrEqualTo(lastVersion);
        lastVersion = served.version();
        try (CopyReader copy = new CopyReader(served); Statement statement = copy.db.createStatement()) {
            try (ResultSet check = statement.executeQuery("PRAGMA quick_check")) {
                check.next();
                assertThat(check.getString(1)).as("the served copy is sound").isEqualTo("ok");
            }
            int rows = 0;
            try (ResultSet row = statement.executeQuery("SELECT id, path FROM tags ORDER BY id")) {
                while (row.next()) {
                    rows++;
                    int position = served.index().position(row.getLong(1));
                    assertThat(position).as("tag %s is in the index", row.getString(2)).isNotNegative();
                    Allocation looked = served.tag(row.getString(2)).orElseThrow().allocation();
                    assertThat(looked).as("tag %s by path", row.getString(2)).isEqualTo(served.index().allocation(position));
                }
            }
            assertThat(rows).isEqualTo(served.index().size());
        }
        boolean loaded = RegistryLoader.load(file, 0, 1, 500).registry() != null;
        HealthStatus health = service.health().status();
        if (loaded && health == HealthStatus.DEGRADED) {
            // only a fallback after a restart stays DEGRADED on a file that loads now: it is loaded at the next change
            assertThat(service.health().detail()).contains("LAST GOOD COPY");
        } else if (!loaded) {
            assertThat(health).as("a bad file on disk after " + fault).isEqualTo(HealthStatus.DEGRADED);
        }
    }

    private void install(String list) throws IOException {
        Path next = dir.resolve("next.db");
        assertThat(RegistryAdmin.importList(ImportTest.EXAMPLES.resolve(list), next).valid()).isTrue();
        move(next);
    }

    private void move(Path from) throws IOException {
        Files.move(from, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        touch();
    }

    private void replaceWith(byte[] content) throws IOException {
        Path next = dir.resolve("next.bin");
        Files.write(next, content);
        move(next);
    }

    private void truncate(long length) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
        touch();
    }

    private void write(long at, byte[] bytes) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), at);
        }
        touch();
    }

    private void edit(String sql) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (Connection db = Sqlite.create(file); Statement statement = db.createStatement()) {
            statement.executeUpdate(sql);
        } catch (SQLException e) {
            return; // the file is damaged already: the edit cannot be made, as with sqlite3
        }
        touch();
    }

    /** Every step is a change the poll can see, however fast the steps follow each other. */
    private void touch() throws IOException {
        if (Files.exists(file)) {
            Files.setLastModifiedTime(file, FileTime.fromMillis(START + 1000L * ++ticks));
        }
    }
}
