package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryService;
import nexus.registry.Registry;
import nexus.registry.RegistryListener;
import nexus.registry.Tag;
import nexus.registry.TagRegistry;
import nexus.rma.RmaType;

/**
 * The registry in the running platform: the generated demo plant served with the simulator moving
 * its values, replacement by import (with listeners told), an invalid replacement kept out, SQL on
 * the served version, and a frozen registry.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING) // the demo plant is checked before the others replace it
public class RegistryIT extends NexusIT {

    private static final Path EXAMPLES = Path.of("..", "docs", "examples").toAbsolutePath().normalize();

    private TagRegistry registry() {
        Await.until("the registry serves a version", () -> {
            TagRegistry service = service(TagRegistry.class);
            return service != null && service.status().version() > 0;
        });
        return service(TagRegistry.class);
    }

    private Path served() {
        return Path.of(registry().status().file());
    }

    @Test
    public void a_theDemoPlantIsServedAndTheSimulatorMovesItsValues() throws Exception {
        TagRegistry registry = registry();
        Registry current = registry.current();
        assertTrue(current.index().size() >= 10_000);
        assertTrue(current.alarms().size() > 200);
        assertEquals("%", current.tag("site1/area1/line1/tank2/level").orElseThrow().unit());

        JsonNode health = awaitHealth(200);
        assertEquals("UP", health.path("components").path("registry").path("status").asText());
        Await.until("the simulator writes", () -> health().path("components").path("simulator").path("status").asText().equals("UP"));
        long before = json("/api/v1/banks").path("banks").path(0).path("sequence").asLong();
        Await.until("the process bank keeps changing",
                () -> json("/api/v1/banks").path("banks").path(0).path("sequence").asLong() > before);
        assertTrue(shell("nexus:registry").contains("tags       " + current.index().size()));
    }

    @Test
    public void b_anImportedReplacementIsServedAsTheNextVersionAndListenersAreTold() throws Exception {
        TagRegistry registry = registry();
        long version = registry.status().version();
        List<Long> heard = new CopyOnWriteArrayList<>();
        ServiceRegistration<RegistryListener> listener = context.registerService(RegistryListener.class,
                r -> heard.add(r.version()), null);
        Path next = home().resolve("data/next.db");
        try {
            String wrote = shell("nexus:import " + EXAMPLES.resolve("plant.json") + " " + next);
            assertTrue(wrote, wrote.contains("6 tags, 3 alarms"));
            Files.move(next, served(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            Await.until("the replacement is served", () -> registry.status().version() == version + 1);
            assertEquals(6, registry.current().index().size());
            Await.until("listeners are told (on the registry's thread, after the swap)", () -> !heard.isEmpty());
            assertEquals(List.of(version + 1), heard);
            QueryResult process = service(QueryService.class).select(Its.ADMIN, "SELECT count(*) FROM tags WHERE bank = 'process'",
                    QueryOptions.DEFAULT);
            assertEquals(registry.status().version(), process.registryVersion());
            assertEquals(6L, process.rows().get(0).cells().get(0));
            Await.until("/health shows the new version",
                    () -> health().path("components").path("registry").path("detail").asText().startsWith(
                            "version " + (version + 1) + ": 6 tags, 3 alarms"));
        } finally {
            listener.unregister();
        }
    }

    @Test
    public void c_anInvalidReplacementIsReportedAndTheServedVersionKept() throws Exception {
        TagRegistry registry = registry();
        long version = registry.status().version();
        int tags = registry.status().tags();
        Path garbage = home().resolve("data/garbage.db");
        Files.writeString(garbage, "definitely not SQLite".repeat(100));
        byte[] content = Files.readAllBytes(garbage);

        Files.move(garbage, served(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        Await.until("the problem is reported", () -> registry.status().problem() != null);
        assertTrue(registry.status().problem(), registry.status().problem().startsWith("the file on disk is invalid"));
        assertEquals(version, registry.status().version());
        assertEquals(tags, registry.current().index().size());
        JsonNode health = awaitHealth(200);
        assertTrue(health.path("components").path("registry").path("detail").asText().contains("still serving version " + version));
        assertEquals("DEGRADED", health.path("components").path("registry").path("status").asText());
        assertTrue("the bad file is left as it is", java.util.Arrays.equals(content, Files.readAllBytes(served())));
        assertTrue(shell("nexus:validate").contains("it is not an SQLite database"));

        Path next = home().resolve("data/next.db");
        shell("nexus:import " + EXAMPLES.resolve("plant.csv") + " " + next);
        Files.move(next, served(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Await.until("a valid file is served again", () -> registry.status().version() == version + 1);
        assertEquals(null, registry.status().problem());
    }

    @Test
    public void d_aFrozenRegistryNeverLoadsAChange() throws Exception {
        registry();
        Path config = etc().resolve("nexus.registry.cfg");
        String original = Files.readString(config);
        Files.writeString(config, original.replace("frozen = false", "frozen = true"));
        try {
            Await.until("the registry is frozen", () -> service(TagRegistry.class) != null
                    && service(TagRegistry.class).status().frozen() && service(TagRegistry.class).status().version() > 0);
            TagRegistry registry = service(TagRegistry.class);
            long version = registry.status().version();
            int tags = registry.status().tags();
            Path next = home().resolve("data/next.db");
            shell("nexus:import " + EXAMPLES.resolve("plant.json") + " " + next);
            Files.move(next, served(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            Await.until("the change is reported", () -> registry.status().problem() != null);
            assertEquals("the file changed on disk but the registry is frozen: still serving version " + version,
                    registry.status().problem());
            assertEquals(tags, registry.current().index().size());
            assertTrue(health().path("components").path("registry").path("detail").asText().contains("(frozen)"));
        } finally {
            Files.writeString(config, original);
        }
        Await.until("the registry is thawed", () -> service(TagRegistry.class) != null
                && !service(TagRegistry.class).status().frozen() && service(TagRegistry.class).status().version() > 0);
    }

    @Test
    public void e_anInPlaceEditThatIsRejectedChangesNoAnswer() throws Exception {
        TagRegistry registry = registry();
        Await.until("the file on disk is served", () -> registry.status().problem() == null);
        String path = "plant1/line1/batch";
        long version = registry.status().version();
        Registry current = registry.current();
        Tag batch = current.tag(path).orElseThrow();
        int offset = batch.allocation().byteOffset();
        int other = current.tags("", null, 1_000).stream().filter(t -> !t.path().equals(path)
                && t.allocation().type() != RmaType.BOOL && t.allocation().bank() == batch.allocation().bank())
                .findFirst().orElseThrow().allocation().byteOffset();

        byte[] before = Files.readAllBytes(served());
        // sqlite3 registry.db "UPDATE tag SET byte_offset = … WHERE path = …": the tag now overlaps another
        try (Connection writer = new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite:" + served());
                Statement statement = writer.createStatement()) {
            statement.executeUpdate("UPDATE tag SET byte_offset = " + other + " WHERE path = '" + path + "'");
        }
        Files.setLastModifiedTime(served(), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2_000));

        Await.until("the edit is rejected", () -> registry.status().problem() != null);
        assertEquals(version, registry.status().version());
        JsonNode read = json("/api/v1/tags/" + path);
        assertEquals(offset, read.path("byteOffset").asInt());
        HttpResponse<String> written = http.send(HttpRequest.newBuilder(uri("/api/v1/tags/" + path))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"value\": \"lot-42\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(written.body(), 200, written.statusCode());
        assertEquals(offset, JSON.readTree(written.body()).path("byteOffset").asInt());
        HttpResponse<String> query = http.send(HttpRequest.newBuilder(uri("/api/v1/query"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"sql\": \"SELECT byte_offset FROM tags WHERE path = '" + path + "'\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(query.body(), offset, JSON.readTree(query.body()).path("rows").path(0).path("byte_offset").asInt());

        Files.write(served(), before); // the edit undone: the next version is valid again
        Await.until("the file on disk is served again", () -> registry.status().problem() == null);
    }

    @Test
    public void f_anotherFileConfiguredAtRunTimeIsANewVersion() throws Exception {
        TagRegistry registry = registry();
        long before = registry.status().version();
        Path other = home().resolve("data/other.db");
        shell("nexus:import " + EXAMPLES.resolve("plant.csv") + " " + other);
        Path config = etc().resolve("nexus.registry.cfg");
        String original = Files.readString(config);
        List<Long> seen = new CopyOnWriteArrayList<>();
        ServiceRegistration<RegistryListener> listener = context.registerService(RegistryListener.class,
                changed -> seen.add(changed.version()), null);
        try {
            Files.writeString(config, original.replace("file = data/registry.db", "file = data/other.db"));
            Await.until("the other file is served", () -> service(TagRegistry.class) != null
                    && service(TagRegistry.class).status().file().endsWith("other.db")
                    && service(TagRegistry.class).status().version() > 0);
            long after = service(TagRegistry.class).status().version();
            assertTrue("version " + after + " follows " + before, after > before);
            assertEquals(10, service(TagRegistry.class).current().index().size());
            Await.until("listeners hear of version " + after, () -> seen.contains(after));
        } finally {
            listener.unregister();
            Files.writeString(config, original);
        }
        Await.until("the first file is served again", () -> service(TagRegistry.class) != null
                && service(TagRegistry.class).status().file().endsWith("registry.db")
                && service(TagRegistry.class).status().version() > 0);
        assertTrue(service(TagRegistry.class).status().version() > before + 1);
    }

    @Test
    public void g_aStartOnADamagedFileServesTheLastGoodCopyWithWritesPausedUntilConfirmed() throws Exception {
        TagRegistry registry = registry();
        Await.until("the file on disk is served", () -> registry.status().problem() == null);
        String path = "plant1/line1/batch";
        byte[] good = Files.readAllBytes(served());
        Path config = etc().resolve("nexus.registry.cfg");
        String original = Files.readString(config);
        try {
            Files.write(served(), java.util.Arrays.copyOf(good, good.length / 3)); // damaged in place
            // a configuration change starts the registry component again: a start on the damaged file
            Files.writeString(config, original.replace("poll.interval = 1000", "poll.interval = 999"));
            Await.until("the last good copy is served", () -> health().path("components").path("registry").path("detail")
                    .asText().contains("LAST GOOD COPY"));
            JsonNode health = health();
            assertEquals("DEGRADED", health.path("components").path("registry").path("status").asText());
            Await.until("alarms pause", () -> health().path("components").path("alarms").path("detail").asText()
                    .startsWith("alarms are paused"));
            HttpResponse<String> refused = put(path, "{\"value\": \"lot-7\"}");
            assertEquals(refused.body(), 503, refused.statusCode());
            assertTrue(refused.body(), refused.body().contains("nexus:registry confirm"));
            assertTrue(refused.body(), !refused.body().contains(home().toString()) || refused.body().contains("tag writes"));

            assertTrue(shell("nexus:registry confirm").startsWith("Confirmed"));

            Await.until("alarms run again", () -> health().path("components").path("alarms").path("status").asText()
                    .equals("UP"));
            assertEquals(200, put(path, "{\"value\": \"lot-8\"}").statusCode());
        } finally {
            Files.write(served(), good);
            Files.writeString(config, original);
        }
        Await.until("the file itself is served again", () -> service(TagRegistry.class) != null
                && service(TagRegistry.class).status().problem() == null
                && health().path("components").path("registry").path("status").asText().equals("UP"));
    }

    @Test
    public void h_banksThatDoNotFitTheRegistryStopEveryWriterUntilTheyDo() throws Exception {
        registry();
        String path = "plant1/line1/batch";
        Path config = etc().resolve("nexus.rma.cfg");
        String original = Files.readString(config);
        try {
            Files.writeString(config, original.replace("banks = process:64k, alarms:8k", "banks = alarms:64k, process:64k"));
            Await.until("banks DOWN", () -> health().path("components").path("banks").path("status").asText().equals("DOWN"));
            Await.until("the backend swapped", () -> {
                HttpResponse<String> answer = put(path, "{\"value\": \"lot-9\"}");
                return answer.statusCode() == 503 && answer.body().contains("does not fit");
            });
            Await.until("alarms pause", () -> health().path("components").path("alarms").path("detail").asText()
                    .startsWith("alarms are paused"));
        } finally {
            Files.writeString(config, original);
        }
        Await.until("banks UP again", () -> health().path("components").path("banks").path("status").asText().equals("UP"));
        Await.until("writes work again", () -> put(path, "{\"value\": \"lot-10\"}").statusCode() == 200);
        Await.until("alarms run again", () -> health().path("components").path("alarms").path("status").asText().equals("UP"));
    }

    private HttpResponse<String> put(String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(uri("/api/v1/tags/" + path)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
