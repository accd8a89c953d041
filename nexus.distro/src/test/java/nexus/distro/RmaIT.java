package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmService;
import nexus.rma.Allocation;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;

/**
 * RMA in the running platform: the configured backend over HTTP and the shell, a backend swap by
 * editing {@code etc/nexus.rma.cfg}, values written by another OS process into the shared-memory
 * file, an integrator's backend that outranks the configured one, and bad configuration.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RmaIT extends NexusIT {

    private static final String HEAP = "backend = heap\nbanks = process:64k, alarms:8k\n";

    /** These tests count writes: the demo simulator, which writes all the time, is switched off. */
    @Before
    public void stopTheSimulator() throws IOException {
        Files.deleteIfExists(etc().resolve("nexus.simulator.cfg"));
        Await.until("the simulator has stopped", () -> health().path("components").path("simulator").isMissingNode()
                && health().path("components").path("registry").path("status").asText().equals("UP"));
    }

    private void configure(String text) throws IOException {
        Path file = etc().resolve("nexus.rma.cfg");
        Path temp = etc().resolve("nexus.rma.cfg.tmp");
        Files.writeString(temp, text);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private void awaitBackend(String name) {
        Await.until("the " + name + " backend answers /api/v1/banks",
                () -> name.equals(json("/api/v1/banks").path("backend").asText()));
    }

    @Test
    public void theConfiguredHeapBackendAnswersOverHttpAndTheShell() throws Exception {
        awaitBackend("heap");
        RmaBackend backend = service(RmaBackend.class);
        long before = backend.sequence(0);

        String wrote = shell("nexus:write process 12 UINT16 300");
        assertEquals("wrote 300 at UINT16 at bank 0 byte 12 ('process'), sequence " + (before + 1), wrote);

        JsonNode banks = json("/api/v1/banks");
        assertEquals("process", banks.path("banks").path(0).path("name").asText());
        assertEquals(65536, banks.path("banks").path(0).path("size").asInt());
        assertEquals(before + 1, banks.path("banks").path(0).path("sequence").asLong());
        assertTrue(banks.path("banks").path(0).path("lastWrite").asText().endsWith("Z"));
        Await.until("the alarm manager has written its flags into bank alarms",
                () -> json("/api/v1/banks").path("banks").path(1).path("lastWrite").asText().endsWith("Z"));
        assertTrue(shell("nexus:dump process 12 2").contains("0000000c  2c 01"));
        assertTrue(shell("nexus:banks").contains("backend heap"));
        assertEquals("UP", health().path("components").path("rma").path("status").asText());

        HttpResponse<String> post = http.send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/banks"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    public void editingTheConfigurationSwapsTheBackendWithoutRestartingAnyBundle() throws Exception {
        awaitBackend("heap");
        Path file = home().resolve("data/swap.mmap");
        List<String> stopped = new ArrayList<>();
        BundleListener listener = event -> {
            if (event.getType() == BundleEvent.STOPPED) {
                stopped.add(event.getBundle().getSymbolicName());
            }
        };
        context.addBundleListener(listener);
        AtomicBoolean polling = new AtomicBoolean(true);
        AtomicInteger answers = new AtomicInteger();
        List<String> unexpected = new ArrayList<>();
        Thread client = new Thread(() -> {
            while (polling.get()) {
                HttpResponse<String> response = get("/api/v1/banks");
                if (response == null) {
                    continue;
                }
                answers.incrementAndGet();
                boolean ok = response.statusCode() == 200
                        || response.statusCode() == 503 && response.body().contains("\"code\":\"BACKEND_UNAVAILABLE\"")
                                && response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
                if (!ok) {
                    synchronized (unexpected) {
                        unexpected.add(response.statusCode() + " " + response.body());
                    }
                }
            }
        }, "rma-it-client");
        client.start();
        try {
            configure("backend = mmap\nmmap.file = " + file + "\nbanks = process:64k, alarms:8k\n");
            awaitBackend("mmap");
            assertTrue(Files.exists(file));
            configure(HEAP);
            awaitBackend("heap");
        } finally {
            polling.set(false);
            client.join(10_000);
            context.removeBundleListener(listener);
        }

        assertTrue("the client kept asking: " + answers.get(), answers.get() > 10);
        assertTrue("every answer was 200 or 503 BACKEND_UNAVAILABLE: " + unexpected, unexpected.isEmpty());
        assertTrue("no bundle stopped: " + stopped, stopped.isEmpty());
        for (Bundle bundle : launcherBundles()) {
            assertEquals(bundle.getSymbolicName(), Bundle.ACTIVE, bundle.getState());
        }
    }

    @Test
    public void anotherProcessWritesTheSharedMemoryAndRmaNexusReadsIt() throws Exception {
        assumeTrue("python3 is on the PATH", run("python3", "--version") == 0);
        Path file = home().resolve("data/external.mmap");
        configure("backend = mmap\nmmap.file = " + file + "\nbanks = process:64k, alarms:8k\n");
        try {
            awaitBackend("mmap");
            Path tool = Path.of("..", "tools", "rma.py").toAbsolutePath().normalize();

            assertEquals(0, run("python3", tool.toString(), file.toString(), "write", "process", "8", "FLOAT32", "21.5"));

            RmaBackend backend = service(RmaBackend.class);
            assertEquals("mmap", backend.name());
            BlockRead block = new BlockRead(4).target(0, 8, 4);
            backend.read(block);
            assertTrue(block.ok());
            assertEquals(21.5f, ValueCodec.decode(block.buffer(), 0, Allocation.of(0, 8, RmaType.FLOAT32)));
            assertEquals(1, backend.sequence(0));
            assertEquals(1, json("/api/v1/banks").path("banks").path(0).path("sequence").asLong());

            // The other way round: the other process reads the alarm flags RMA Nexus writes.
            AlarmService alarms = service(AlarmService.class);
            String atByteZero = service(nexus.registry.TagRegistry.class).current().alarms().stream()
                    .filter(a -> a.flags().bank() == 1 && a.flags().byteOffset() == 0).findFirst().orElseThrow().name();
            Alarm first = alarms.list(Its.ADMIN, AlarmFilter.ALL).stream().filter(a -> a.name().equals(atByteZero))
                    .findFirst().orElseThrow();
            Await.until("the alarm manager has written its flags into the new file", () -> backend.sequence(1) > 0);
            String flags = output("python3", tool.toString(), file.toString(), "read", "alarms", "0", "UINT8").strip();
            assertEquals(String.valueOf(alarms.get(Its.ADMIN, first.name()).flags()), flags);
            assertTrue(shell("nexus:dump alarms 0 1").contains("00000000  " + String.format("%02x", Integer.parseInt(flags))));
        } finally {
            configure(HEAP);
            awaitBackend("heap");
        }
    }

    @Test
    public void anIntegratorsBackendWithAHigherRankingIsUsedInstead() throws Exception {
        awaitBackend("heap");
        Path jar = deploy().resolve("acme.rma.jar");

        TestBundles.integratorBackend(jar);
        awaitBackend("integrator");
        assertEquals("plc", json("/api/v1/banks").path("banks").path(0).path("name").asText());
        assertEquals("integrator", service(RmaBackend.class).name());
        String detail = health().path("components").path("rma").path("detail").asText();
        assertTrue(detail, detail.startsWith("backend integrator: 1 banks, 32 bytes (outranks the configured heap backend)"));

        Files.delete(jar);
        awaitBackend("heap");
        assertNotNull(bundle("nexus.rma"));
    }

    @Test
    public void aBadConfigurationLeavesNoBackendAndSaysWhy() throws Exception {
        awaitBackend("heap");
        configure("backend = heap\nbanks = process:lots\n");
        try {
            Await.until("rma is DOWN", () -> health().path("components").path("rma").path("status").asText().equals("DOWN"));
            Await.until("/api/v1/banks answers 503 (registered backends: " + java.util.Arrays.toString(
                    context.getServiceReferences(RmaBackend.class.getName(), null)) + ", last answer: "
                    + get("/api/v1/banks").statusCode() + ")", () -> status("/api/v1/banks") == 503);
            JsonNode problem = json("/api/v1/banks");
            assertEquals("BACKEND_UNAVAILABLE", problem.path("code").asText());
            assertFalse(problem.toString().contains("Exception"));
            JsonNode health = awaitHealth(503);
            assertEquals("bank 'process' has size 'lots': a size is a number of bytes, optionally with k or m",
                    health.path("components").path("rma").path("detail").asText());
            assertTrue(shell("nexus:health").contains("rma        DOWN"));
        } finally {
            configure(HEAP);
        }
        awaitBackend("heap");
        awaitHealth(200);
    }

    @Test
    public void aForeignFileIsRefusedAndLeftUntouched() throws Exception {
        awaitBackend("heap");
        Path foreign = home().resolve("data/foreign.bin");
        Files.createDirectories(foreign.getParent());
        byte[] content = "not RMA memory".repeat(100).getBytes(StandardCharsets.US_ASCII);
        Files.write(foreign, content);

        configure("backend = mmap\nmmap.file = " + foreign + "\nbanks = process:64k, alarms:8k\n");
        try {
            Await.until("rma is DOWN", () -> health().path("components").path("rma").path("status").asText().equals("DOWN"));
            String detail = health().path("components").path("rma").path("detail").asText();
            assertTrue(detail, detail.startsWith("refusing RMA memory file " + foreign + ": found magic 6e6f7420524d4120"));
            assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(foreign)));
        } finally {
            configure(HEAP);
        }
        awaitBackend("heap");
    }

    @Test
    public void anMmapFileThatShrinksUnderTheNodeMakesRmaDownAndValuesBadNeverAnError() throws Exception {
        Path file = home().resolve("data/shrinking.mmap");
        configure("backend = mmap\nmmap.file = " + file + "\nbanks = process:64k, alarms:8k\n");
        try {
            awaitBackend("mmap");
            RmaBackend backend = service(RmaBackend.class);
            backend.write(Allocation.of(0, 8, RmaType.UINT32), 42L);
            long size = Files.size(file);

            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(1000); // as an attacker's `truncate -s 1000`
            }

            // Readers leave the size check to the backend's watch thread (every 10 ms): the block lies in
            // the file's first page, which stays mapped, so reading it until then is safe.
            BlockRead block = new BlockRead(4).target(0, 8, 4);
            Await.until("reads are UNAVAILABLE", () -> {
                backend.read(block);
                return block.status() == nexus.rma.ReadStatus.UNAVAILABLE;
            });
            String reason = file.toAbsolutePath().normalize() + " shrank from " + size
                    + " to 1000 bytes while mapped: RMA Nexus stopped using it; restore the file or restart";
            Await.until("rma is DOWN", () -> health().path("components").path("rma").path("status").asText().equals("DOWN"));
            assertEquals(reason, health().path("components").path("rma").path("detail").asText());
            HttpResponse<String> banks = get("/api/v1/banks");
            assertEquals(banks.body(), 503, banks.statusCode());
            assertTrue(banks.body(), banks.body().contains("BACKEND_UNAVAILABLE") && banks.body().contains("shrank from"));
            assertFalse(banks.body(), banks.body().contains("Error") || banks.body().contains("Exception"));
        } finally {
            configure(HEAP);
        }
        awaitBackend("heap");
        Await.until("rma is UP again", () -> health().path("components").path("rma").path("status").asText().equals("UP"));
    }

    @Test
    public void aGarbledOrBackendlessConfigurationIsRefusedNotTurnedIntoAnEmptyHeap() throws Exception {
        awaitBackend("heap");
        Path file = home().resolve("data/kept.mmap").toAbsolutePath().normalize();
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[4096]);
        try {
            configure("mmap.file = " + file + "\nbanks = process:64k, alarms:8k\n");
            Await.until("rma is DOWN for the missing backend", () -> health().path("components").path("rma")
                    .path("detail").asText().contains("nexus.rma.cfg has no backend key but the mmap file " + file + " exists"));
            assertEquals("DOWN", health().path("components").path("rma").path("status").asText());
            assertEquals(503, status("/api/v1/banks"));

            configure("backend = heap\nbnaks = process:64k\n");
            Await.until("rma is DOWN for the unknown key", () -> health().path("components").path("rma")
                    .path("detail").asText().contains("nexus.rma.cfg has 1 unknown key ('bnaks')"));
            assertEquals(503, status("/api/v1/banks"));

            byte[] garbage = new byte[300]; // what an attacker wrote over the file
            new java.util.Random(7).nextBytes(garbage);
            Path config = etc().resolve("nexus.rma.cfg");
            Files.write(etc().resolve("nexus.rma.cfg.tmp"), garbage);
            Files.move(etc().resolve("nexus.rma.cfg.tmp"), config, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Await.until("rma is DOWN for the garbage", () -> {
                String detail = health().path("components").path("rma").path("detail").asText();
                return detail.contains("nexus.rma.cfg has ") && !detail.contains("'bnaks'");
            });
            String detail = health().path("components").path("rma").path("detail").asText();
            assertTrue(detail, detail.contains("no backend was started") && !detail.contains("\n"));
            assertEquals(503, status("/api/v1/banks"));
        } finally {
            configure(HEAP);
        }
        awaitBackend("heap");
    }

    private static String output(String... command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(out, 0, process.exitValue());
        return out;
    }

    private static int run(String... command) throws Exception {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            return process.exitValue();
        } catch (IOException e) {
            return -1;
        }
    }
}
