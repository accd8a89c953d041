package nexus.distro;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One RMA Nexus node as a separate process, started the way a user starts it: the {@code ./nexus}
 * script with {@code --port} and {@code --home}, running the launcher this module built
 * ({@code NEXUS_LAUNCHER}, so the script never builds). Its home is a copy of the distribution's
 * default home ({@link #prepareHome}) that a test adjusts with {@link #configure} before the first
 * start; its output goes to files beside the home, its log stays in {@code <home>/data/log}.
 * <p>
 * For tests and benchmarks that need real node processes (federation, crashes): start, clean stop
 * (SIGTERM), kill -9, and JSON over HTTP. Not thread-safe: one test thread drives a node.
 */
final class NodeProcess implements AutoCloseable {

    static final Path SCRIPT = Path.of("..", "nexus").toAbsolutePath().normalize();
    static final Path DEFAULT_HOME = Path.of("home").toAbsolutePath();
    static final Path LAUNCHER = Path.of(System.getProperty("nexus.launcher", "target/nexus.jar")).toAbsolutePath();
    /** Generous: a first start generates the home's demo plant, on a shared 2-core machine. */
    static final Duration START = Duration.ofSeconds(120);
    private static final Duration STOP = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Path home;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private int starts;
    private String lastProblem;

    /**
     * @param name a short name for messages and output files ({@code <name>-stdout.txt} beside the home)
     * @param home the node's home; see {@link #prepareHome}
     * @param port the HTTP port, kept across restarts
     */
    NodeProcess(String name, Path home, int port) {
        this.name = name;
        this.home = home.toAbsolutePath();
        this.port = port;
    }

    /** @return a node on a free loopback port with a fresh copy of the default home at {@code home} */
    static NodeProcess withNewHome(String name, Path home) {
        prepareHome(home);
        return new NodeProcess(name, home, freePort());
    }

    /** Copies every file of the distribution's default home ({@code nexus.distro/home}) into {@code home}. */
    static void prepareHome(Path home) {
        try (Stream<Path> files = Files.walk(DEFAULT_HOME)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = home.resolve(DEFAULT_HOME.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the default home " + DEFAULT_HOME + " to " + home, e);
        }
    }

    /**
     * Sets configuration keys in {@code etc/<pid>.cfg} (FileInstall picks a change up while the node
     * runs): a key that is there gets the new value, the others are appended; the file is created when
     * missing.
     *
     * @param keysAndValues key, value, key, value, ...
     */
    void configure(String pid, String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("configure takes keys and values in pairs, not " + keysAndValues.length
                    + " strings");
        }
        Path file = home.resolve("etc").resolve(pid + ".cfg");
        try {
            List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                String key = keysAndValues[i];
                String line = key + " = " + keysAndValues[i + 1];
                int at = -1;
                for (int l = 0; l < lines.size(); l++) {
                    if (lines.get(l).matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*[=:].*")) {
                        at = l;
                    }
                }
                if (at < 0) {
                    lines.add(line);
                } else {
                    lines.set(at, line);
                }
            }
            Files.createDirectories(file.getParent());
            // Written beside and moved over: FileInstall never reads a half-written file.
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temp, lines);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Runs {@code ./nexus registry <args>} (import, validate, export, demo; docs/registry.md), as an
     * operator does with the node stopped, and fails with its output unless it exits 0.
     *
     * @param args the command and its arguments; files as absolute paths (see {@link #home()})
     */
    void registryCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), "registry"));
        command.addAll(List.of(args));
        Path out = output("registry");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        builder.environment().put("NEXUS_LAUNCHER", LAUNCHER.toString());
        try {
            Process run = builder.start();
            if (!run.waitFor(60, TimeUnit.SECONDS)) {
                run.destroyForcibly();
                throw new AssertionError(command + " did not end within 60 s");
            }
            if (run.exitValue() != 0) {
                throw new AssertionError(command + " exited with " + run.exitValue() + ": " + read(out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** Starts the node and waits until {@code /health} answers 200; fails with the node's output when it does not. */
    NodeProcess start() {
        launch();
        return awaitStarted();
    }

    /** Starts the node's process without waiting for it: start several, then {@link #awaitStarted()} each. */
    NodeProcess launch() {
        if (alive()) {
            throw new IllegalStateException(name + " is running already");
        }
        starts++;
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "--port", String.valueOf(port), "--home",
                home.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output("stdout").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(output("stderr").toFile()));
        builder.environment().put("NEXUS_LAUNCHER", LAUNCHER.toString());
        builder.environment().remove("JAVA_OPTS");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + SCRIPT + " for " + name, e);
        }
        return this;
    }

    /** Waits until the launched node answers {@code /health} with 200; fails with its output when it does not. */
    NodeProcess awaitStarted() {
        if (process == null) {
            throw new IllegalStateException(name + " was not launched");
        }
        try {
            Await.until(name + " answers /health with 200 (start " + starts + ")", START, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with status " + process.exitValue() + ": " + stderr());
                }
                return status("/health") == 200;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; stderr: " + stderr() + "; log problems: " + logProblems(), e);
        }
        return this;
    }

    /** Stops the node cleanly (SIGTERM: the framework stops, components deactivate) and waits for its end. */
    void stop() {
        end(false);
    }

    /** Kills the node with SIGKILL (kill -9): nothing of it runs on, sockets are closed by the kernel. */
    void kill() {
        end(true);
    }

    private void end(boolean forcibly) {
        if (process == null) {
            return;
        }
        try {
            if (forcibly) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(name + " did not stop within " + STOP.toSeconds() + " s of SIGTERM: killed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping " + name, e);
        } finally {
            process = null;
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        if (alive()) {
            kill();
        }
    }

    String name() {
        return name;
    }

    Path home() {
        return home;
    }

    int port() {
        return port;
    }

    /** @return the status of a GET, or 0 when the node does not answer */
    int status(String path) {
        HttpResponse<String> response = send("GET", path, null);
        return response == null ? 0 : response.statusCode();
    }

    /** @return the JSON body of a GET that must answer 200 */
    JsonNode get(String path) {
        return ok(send("GET", path, null), "GET " + path);
    }

    /** @return the JSON body of a POST of {@code body} that must answer 200 */
    JsonNode post(String path, String body) {
        return ok(send("POST", path, body), "POST " + path + " " + body);
    }

    /** @return the JSON body of a PUT of {@code body} that must answer 200 */
    JsonNode put(String path, String body) {
        return ok(send("PUT", path, body), "PUT " + path + " " + body);
    }

    /** @return the answer of {@code POST /api/v1/query} for {@code sql} (columns, rows, registryVersion) */
    JsonNode query(String sql) {
        return post("/api/v1/query", JSON.createObjectNode().put("sql", sql).toString());
    }

    /** @return the single number a {@code SELECT count(*) AS n ...} answers */
    long count(String sql) {
        return query(sql).path("rows").path(0).path("n").asLong(-1);
    }

    /**
     * For conditions polled while the node changes: a query answered with a problem (such as 503
     * {@code BACKEND_UNAVAILABLE} while a registry version is being replaced) or not at all counts as
     * "not yet" instead of failing the wait; {@link #lastProblem()} keeps the answer for the failure message.
     *
     * @return the number a {@code SELECT count(*) AS n ...} answers, or -1 when the query did not answer 200
     */
    long countWhenAnswered(String sql) {
        HttpResponse<String> response = send("POST", "/api/v1/query", JSON.createObjectNode().put("sql", sql).toString());
        if (response == null || response.statusCode() != 200) {
            lastProblem = response == null ? "no answer" : response.statusCode() + " " + response.body();
            return -1;
        }
        return readTree(response.body()).path("rows").path(0).path("n").asLong(-1);
    }

    /** @return the last problem {@link #countWhenAnswered} met, or null */
    String lastProblem() {
        return lastProblem;
    }

    /** @return {@code GET /api/v1/tags/<path>}: the tag with its properties and value, or null when it is not there */
    JsonNode tag(String path) {
        HttpResponse<String> response = send("GET", "/api/v1/tags/" + path, null);
        return response == null || response.statusCode() != 200 ? null : readTree(response.body());
    }

    /**
     * @param body a JSON body, sent as application/json; null for none
     * @return the answer, or null when the node does not answer (not running, port closed)
     */
    HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + method + " " + path + " on " + name, e);
        }
    }

    /** @return {@code text} encoded for a query parameter */
    static String param(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private JsonNode ok(HttpResponse<String> response, String what) {
        if (response == null) {
            throw new AssertionError(what + " on " + name + ": no answer (is it running?)");
        }
        if (response.statusCode() != 200) {
            throw new AssertionError(what + " on " + name + " answered " + response.statusCode() + ": " + response.body());
        }
        return readTree(response.body());
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** @return the node's log, {@code <home>/data/log/nexus.log} ("" before the first start) */
    String log() {
        return read(home.resolve("data/log/nexus.log"));
    }

    /** @return the WARN and ERROR lines of the node's log (the last 20), for failure messages */
    String logProblems() {
        List<String> lines = log().lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private String stderr() {
        return read(output("stderr"));
    }

    private Path output(String stream) {
        return home.resolveSibling(name + "-" + stream + ".txt");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Deletes {@code folder} with everything in it (for a test's homes from an earlier run); nothing when it is missing. */
    static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + folder, e);
        }
    }

    /** @return a loopback port nothing listens on now */
    static int freePort() {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
