package nexus.distro;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./nexus} script as a user runs it: a real process, real signals, real HTTP. The
 * launcher built by this module is passed in through {@code NEXUS_LAUNCHER}, so the script never
 * starts a build of its own here.
 */
class NexusScriptIT {

    private static final Path SCRIPT = Path.of("..", "nexus").toAbsolutePath().normalize();
    private static final Path LAUNCHER = Path.of(System.getProperty("nexus.launcher", "target/nexus.jar")).toAbsolutePath();

    @TempDir
    Path temp;

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private Process start(String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(concat(SCRIPT.toString(), args))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(temp.resolve("stdout.txt").toFile())
                .redirectError(temp.resolve("stderr.txt").toFile());
        builder.environment().put("NEXUS_LAUNCHER", LAUNCHER.toString());
        return builder.start();
    }

    private Result run(String... args) throws Exception {
        Process process = start(args);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("./nexus ends by itself").isTrue();
        return new Result(process.exitValue(), Files.readString(temp.resolve("stdout.txt")),
                Files.readString(temp.resolve("stderr.txt")));
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
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
    void startsHeadlessCreatesItsHomeServesHealthAndStopsCleanlyOnSigterm() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path home = temp.resolve("home");
        Process nexus = start("--port", String.valueOf(port), "--home", home.toString());
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
            Await.until("/health answers 200", Duration.ofSeconds(60), () -> {
                try {
                    return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            assertThat(home.resolve("etc/org.ops4j.pax.logging.cfg")).exists();
            assertThat(home.resolve("deploy")).isDirectory();
            assertThat(home.resolve("data")).isDirectory();
        } finally {
            nexus.destroy(); // SIGTERM
        }
        assertThat(nexus.waitFor(60, TimeUnit.SECONDS)).as("RMA Nexus exits after SIGTERM").isTrue();
        String log = Files.readString(home.resolve("data/log/nexus.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("RMA Nexus 0.1.0").contains("RMA Nexus is stopping");
        assertThat(log).doesNotContain("ERROR");
    }
}
