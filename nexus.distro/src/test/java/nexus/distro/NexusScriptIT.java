package nexus.distro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code ./nexus} script as a user runs it: a real process, real signals, real HTTP. The
 * launcher built by this module is passed in through {@code NEXUS_LAUNCHER}, so the script never
 * starts a build of its own here.
 */
class NexusScriptIT {

    private static final Path SCRIPT = Path.of("..", "nexus").toAbsolutePath().normalize();
    private static final Path DEFAULTS = Path.of("home").toAbsolutePath();
    private static final Path LAUNCHER = Path.of(System.getProperty("nexus.launcher", "target/nexus.jar")).toAbsolutePath();
    /** Generous: the first start of a home generates the 10,002-tag demo plant, on a shared 2-core machine. */
    private static final Duration START = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> started = new ArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();

    private record Result(int exitCode, String stdout, String stderr) {
    }

    /** A started {@code ./nexus}; its output goes to files of its own. */
    private record Node(Process process, Path stdout, Path stderr) {
        String err() throws IOException {
            return Files.readString(stderr);
        }
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : started) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Node start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    private Node start(Map<String, String> environment, String... args) throws IOException {
        int run = runs.incrementAndGet();
        Path out = temp.resolve("stdout-" + run + ".txt");
        Path err = temp.resolve("stderr-" + run + ".txt");
        ProcessBuilder builder = new ProcessBuilder(concat(SCRIPT.toString(), args))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("NEXUS_LAUNCHER", LAUNCHER.toString());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().putAll(environment);
        Process process = builder.start();
        started.add(process);
        return new Node(process, out, err);
    }

    private Result run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    private Result run(Map<String, String> environment, String... args) throws Exception {
        Node node = start(environment, args);
        assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).as("./nexus ends by itself").isTrue();
        return new Result(node.process().exitValue(), Files.readString(node.stdout()), node.err());
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    private int status(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private JsonNode health(int port) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private void awaitUp(Node node, int port) {
        Await.until("/health answers 200", START, () -> {
            assertThat(node.process().isAlive()).as("./nexus is still running").isTrue();
            return status(port) == 200;
        });
    }

    /** Stops the node with SIGTERM, as a service manager does, and answers its exit status. */
    private static int terminate(Node node) throws InterruptedException {
        node.process().destroy();
        assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).as("RMA Nexus exits after SIGTERM").isTrue();
        return node.process().exitValue();
    }

    @Test
    void anUnknownOptionPrintsTheUsageAndExitsWith2() throws Exception {
        Result result = run("--colour", "blue");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("nexus: unknown option: --colour\nUsage: ./nexus [--port N]");
    }

    @Test
    void aPortThatIsNotANumberIsRefusedWithUsage() throws Exception {
        Result result = run("--port", "80a");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("nexus: --port must be a number from 1 to 65535, not '80a'");
    }

    @Test
    void aPortInUseIsRefusedInOneLineAndNothingIsStarted() throws Exception {
        Path home = temp.resolve("home");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result result = run("--port", String.valueOf(taken.getLocalPort()), "--home", home.toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).isEqualTo("nexus: port " + taken.getLocalPort()
                    + " on 127.0.0.1 is already in use: stop what listens there or start with --port N\n");
            assertThat(home).doesNotExist();
        }
    }

    @Test
    void startsHeadlessCreatesItsHomeServesHealthAndExitsWith0AfterACleanStopOnSigterm() throws Exception {
        int port = freePort();
        Path home = temp.resolve("home");
        Node nexus = start("--port", String.valueOf(port), "--home", home.toString());
        try {
            awaitUp(nexus, port);
            assertThat(home.resolve("etc/org.ops4j.pax.logging.cfg")).exists();
            assertThat(home.resolve("deploy")).isDirectory();
            assertThat(home.resolve("data")).isDirectory();
        } finally {
            assertThat(terminate(nexus)).as("exit status after SIGTERM").isZero();
        }
        String log = Files.readString(home.resolve("data/log/nexus.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("RMA Nexus 0.1.0").contains("RMA Nexus is stopping");
        assertThat(log).doesNotContain("ERROR");
        assertThat(home.resolve("data/registry.db")).exists();
        assertThat(home.resolve("data/alarms.snapshot")).exists();
        List<String> open = new java.util.ArrayList<>();
        try (var files = Files.walk(home)) {
            files.forEach(file -> {
                try {
                    var permissions = Files.getPosixFilePermissions(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                        open.add(home.relativize(file) + " " + java.nio.file.attribute.PosixFilePermissions.toString(permissions));
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        assertThat(open).as("what RMA Nexus creates is owner-only (registry, snapshot, journal, log, cache)").isEmpty();
    }

    @Test
    void aWriterGroupGetsTheDataFolderAndGroupWritableFiles() throws Exception {
        String group = Files.exists(Path.of("/etc/group")) && Files.readString(Path.of("/etc/group")).contains("\ndaemon:")
                ? "daemon" : "root";
        int port = freePort();
        Path home = temp.resolve("shared-data");
        Node nexus = start(Map.of("NEXUS_WRITER_GROUP", group), "--port", String.valueOf(port), "--home", home.toString());
        try {
            awaitUp(nexus, port);
        } finally {
            assertThat(terminate(nexus)).isZero();
        }
        var data = Files.readAttributes(home.resolve("data"), java.nio.file.attribute.PosixFileAttributes.class);
        assertThat(data.group().getName()).isEqualTo(group);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("data/registry.db")))).isEqualTo("rw-rw----");
        assertThat(Files.readAttributes(home.resolve("data/registry.db"), java.nio.file.attribute.PosixFileAttributes.class)
                .group().getName()).as("files under data/ belong to the group").isEqualTo(group);

        Result refused = run(Map.of("NEXUS_WRITER_GROUP", "no-such-group-here"), "--port", String.valueOf(port), "--home",
                home.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("NEXUS_WRITER_GROUP=no-such-group-here is not a group");
    }

    @Test
    void startsTheJvmWithTheStateLayerDefaultsAndLetsJavaOptsWin() throws Exception {
        int port = freePort();
        Node defaults = start("--port", String.valueOf(port), "--home", temp.resolve("defaults").toString());
        awaitUp(defaults, port);
        List<String> jvm = jvmArguments(defaults.process());
        assertThat(terminate(defaults)).isZero();

        assertThat(jvm).contains("-Xms64m", "-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50",
                "-XX:MaxMetaspaceSize=192m", "-XX:+ExitOnOutOfMemoryError", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");

        Node own = start(Map.of("JAVA_OPTS", "-Xmx300m -XX:+UseSerialGC"),
                "--port", String.valueOf(port), "--home", temp.resolve("own").toString());
        awaitUp(own, port);
        List<String> ownJvm = jvmArguments(own.process());
        String heap = jcmd(own.process(), "VM.flags");
        assertThat(terminate(own)).isZero();

        assertThat(ownJvm.indexOf("-Xmx300m")).as("JAVA_OPTS come after the defaults").isGreaterThan(ownJvm.indexOf("-Xmx512m"));
        assertThat(ownJvm).as("a collector in JAVA_OPTS replaces G1").doesNotContain("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50");
        assertThat(heap).as("the user's heap bound is the one in force").contains("-XX:MaxHeapSize=314572800").contains("-XX:+UseSerialGC");
    }

    private static List<String> jvmArguments(Process process) {
        return List.of(process.info().arguments().orElseThrow());
    }

    private static String jcmd(Process process, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process run = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), command).redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void ctrlCStopsCleanlyWithExitStatus0() throws Exception {
        int port = freePort();
        Path home = temp.resolve("home");
        Node nexus = start("--port", String.valueOf(port), "--home", home.toString());
        awaitUp(nexus, port);

        new ProcessBuilder("kill", "-INT", String.valueOf(nexus.process().pid())).start().waitFor();

        assertThat(nexus.process().waitFor(60, TimeUnit.SECONDS)).as("RMA Nexus exits after SIGINT").isTrue();
        assertThat(nexus.process().exitValue()).as("exit status after Ctrl-C").isZero();
        assertThat(Files.readString(home.resolve("data/log/nexus.log"))).contains("RMA Nexus is stopping");
    }

    @Test
    void theConsolesExitStopsCleanlyWithExitStatus0EvenAfterNexusPlatformWasRestartedAlone() throws Exception {
        // The console needs a terminal: script(1) from util-linux gives ./nexus a pseudo-terminal.
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is installed");
        int port = freePort();
        Path home = temp.resolve("home");
        Path out = temp.resolve("console.txt");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/script", "-qec",
                SCRIPT + " --port " + port + " --home " + home, "/dev/null")
                .redirectOutput(out.toFile()).redirectErrorStream(true);
        builder.environment().put("NEXUS_LAUNCHER", LAUNCHER.toString());
        Process console = builder.start();
        started.add(console);
        Node node = new Node(console, out, out);
        awaitUp(node, port);
        Await.until("the console prompts", () -> read(out).contains("nexus> "));

        // Stopping and starting nexus.platform alone hands the launcher's main thread to the new instance.
        type(console, "lb nexus.platform");
        Await.until("lb lists nexus.platform", () -> PLATFORM_ROW.matcher(read(out)).find());
        var row = PLATFORM_ROW.matcher(read(out));
        assertThat(row.find()).isTrue();
        String id = row.group(1);
        type(console, "($.context bundle " + id + ") stop");
        Await.until("nexus.platform stopped alone", () -> read(home.resolve("data/log/nexus.log"))
                .contains("nexus.platform is stopping on its own"));
        type(console, "($.context bundle " + id + ") start");
        Await.until("nexus.platform runs again", () -> {
            try {
                return health(port).path("components").path("framework").path("status").asText().equals("UP");
            } catch (Exception e) {
                return false;
            }
        });

        type(console, "exit");

        assertThat(console.waitFor(60, TimeUnit.SECONDS)).as("RMA Nexus exits after 'exit'").isTrue();
        assertThat(console.exitValue()).as("exit status after 'exit' (was 117)").isZero();
        assertThat(Files.readString(home.resolve("data/log/nexus.log"))).contains("RMA Nexus is stopping");
    }

    private static final java.util.regex.Pattern PLATFORM_ROW =
            java.util.regex.Pattern.compile("(?m)^\\s*(\\d+)\\|Active\\s*\\|.*nexus\\.platform");

    private static void type(Process console, String line) throws IOException {
        console.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        console.getOutputStream().flush();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void anEmptyHomeFolderGetsEveryDefaultFileAndComesUpWithTheDemoPlant() throws Exception {
        Path home = Files.createDirectory(temp.resolve("empty")); // as mkdir, mktemp -d or a service manager leave it
        int port = freePort();
        Node nexus = start("--port", String.valueOf(port), "--home", home.toString());
        try {
            awaitUp(nexus, port);
            assertThat(health(port).path("components").path("registry").path("detail").asText()).contains("10002 tags");
            Await.until("the demo simulator runs", () -> {
                try {
                    return health(port).path("components").path("simulator").path("status").asText().equals("UP");
                } catch (Exception e) {
                    return false;
                }
            });
        } finally {
            assertThat(terminate(nexus)).isZero();
        }
        List<String> defaults = defaultFiles();
        for (String file : defaults) {
            assertThat(home.resolve(file)).as(file).hasSameBinaryContentAs(DEFAULTS.resolve(file));
        }
        String laidDown = nexus.err().lines().filter(l -> l.contains("default files")).findFirst().orElse("");
        assertThat(laidDown).as("stderr names the files laid down").startsWith("nexus: ").contains(defaults);
    }

    @Test
    void aUsersOwnConfigurationIsKeptByteForByteAndADeletedDefaultStaysDeleted() throws Exception {
        Path home = temp.resolve("mine");
        Path registryCfg = Files.createDirectories(home.resolve("etc")).resolve("nexus.registry.cfg");
        byte[] mine = "# my own registry\nfile = data/mine.db\ndemo.tags = 50\n".getBytes(StandardCharsets.UTF_8);
        Files.write(registryCfg, mine);
        int port = freePort();

        Node first = start("--port", String.valueOf(port), "--home", home.toString());
        awaitUp(first, port);
        assertThat(health(port).path("components").path("registry").path("detail").asText()).contains("mine.db");
        assertThat(terminate(first)).isZero();

        assertThat(registryCfg).hasBinaryContent(mine);
        assertThat(home.resolve("etc/org.ops4j.pax.logging.cfg")).exists();
        assertThat(home.resolve("etc/nexus.simulator.cfg")).exists();
        String laidDown = first.err().lines().filter(l -> l.contains("default files")).findFirst().orElse("");
        assertThat(laidDown).contains("etc/org.ops4j.pax.logging.cfg").doesNotContain("etc/nexus.registry.cfg");

        // Production: the operator turns the simulator off by deleting its file; it must not come back.
        Files.delete(home.resolve("etc/nexus.simulator.cfg"));
        Node second = start("--port", String.valueOf(port), "--home", home.toString());
        awaitUp(second, port);
        assertThat(terminate(second)).isZero();

        assertThat(home.resolve("etc/nexus.simulator.cfg")).doesNotExist();
        assertThat(registryCfg).hasBinaryContent(mine);
        assertThat(second.err()).doesNotContain("default files");
    }

    @Test
    void aSecondNodeOnTheSameHomeIsRefusedNamingTheHolderAndAKilledHolderLeavesNoStaleLock() throws Exception {
        Path home = temp.resolve("shared");
        int port = freePort();
        Node holder = start("--port", String.valueOf(port), "--home", home.toString());
        awaitUp(holder, port);

        int otherPort = freePort();
        Result refused = run("--port", String.valueOf(otherPort), "--home", home.toString());

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).isEqualTo("nexus: " + home.toRealPath() + " is in use by another RMA Nexus (pid "
                + holder.process().pid() + ", port " + port + "): stop it first, or start with another --home\n");
        assertThat(holder.process().isAlive()).isTrue();
        assertThat(status(port)).as("the holder still serves").isEqualTo(200);

        holder.process().destroyForcibly(); // kill -9: no chance to clean up
        assertThat(holder.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

        Node next = start("--port", String.valueOf(otherPort), "--home", home.toString());
        awaitUp(next, otherPort);
        assertThat(terminate(next)).isZero();
    }

    private static List<String> defaultFiles() throws IOException {
        try (var files = Files.walk(DEFAULTS)) {
            return files.filter(Files::isRegularFile).map(f -> DEFAULTS.relativize(f).toString()).sorted().toList();
        }
    }
}
