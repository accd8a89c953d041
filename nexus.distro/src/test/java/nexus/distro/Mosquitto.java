package nexus.distro;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Eclipse Mosquitto broker for the federation tests, from the distribution's package: its own
 * configuration (a listener on 127.0.0.1 and a free port, anonymous clients allowed unless a password
 * file is given), its own log, no persistence. {@code .ci/run} installs the package when it is
 * missing; where it cannot be had, the tests fail saying what to install.
 */
final class Mosquitto implements AutoCloseable {

    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"), Path.of("/usr/local/bin/mosquitto"));

    private final Path folder;
    private final int port;
    private final String extraConfig;
    private ProcessHandle process;

    private Mosquitto(Path folder, int port, String extraConfig) {
        this.folder = folder;
        this.port = port;
        this.extraConfig = extraConfig;
    }

    /** @return a broker started on a free loopback port, accepting anonymous clients */
    static Mosquitto start(Path folder) {
        return start(folder, "allow_anonymous true\n");
    }

    /**
     * @param extraConfig lines added to the listener's configuration, e.g. {@code allow_anonymous false}
     *                    and {@code password_file ...}
     */
    static Mosquitto start(Path folder, String extraConfig) {
        Mosquitto broker = new Mosquitto(folder, freePort(), extraConfig);
        broker.startProcess();
        return broker;
    }

    /**
     * The broker another class loader of this JVM started: Pax Exam calls a test's {@code @Configuration}
     * (where the broker must start, before the node) outside the framework and runs the test methods
     * inside it, in another copy of this class. {@link #restart()} reuses the configuration in the folder.
     *
     * @param pid the broker's process id ({@link #pid()} of the starting copy)
     */
    static Mosquitto attach(Path folder, int port, long pid) {
        Mosquitto broker = new Mosquitto(folder, port, null);
        broker.process = ProcessHandle.of(pid).orElse(null);
        return broker;
    }

    /** @return the process id of the running broker, or -1 when it is not running */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    /** @return the broker's URL, {@code tcp://127.0.0.1:<port>} */
    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** @return the folder of its configuration and log */
    Path folder() {
        return folder;
    }

    int port() {
        return port;
    }

    /** @return the broker's log so far */
    String log() {
        try {
            Path log = folder.resolve("mosquitto.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the broker at once (no clean shutdown): what a crashed broker looks like to its clients. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("mosquitto (pid " + process.pid() + ") did not end within 10 s", e);
            }
            process = null;
        }
    }

    /** Starts the broker again on the same port. */
    void restart() {
        kill();
        startProcess();
    }

    @Override
    public void close() {
        kill();
    }

    /** @return the broker's binary; fails the test run with what to install when there is none */
    static Path binary() {
        for (Path candidate : CANDIDATES) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Eclipse Mosquitto is not installed, and the federation tests need a real MQTT"
                + " broker: install the Debian package 'mosquitto' (apt-get install mosquitto; .ci/run does this when it"
                + " can)");
    }

    private void startProcess() {
        Process started;
        try {
            Files.createDirectories(folder);
            Path config = folder.resolve("mosquitto.conf");
            if (extraConfig != null) {
                Files.writeString(config, "per_listener_settings true\n"
                        + "persistence false\n"
                        + "log_dest file " + folder.resolve("mosquitto.log") + "\n"
                        + "log_type all\n"
                        + "listener " + port + " 127.0.0.1\n"
                        + extraConfig);
            }
            started = new ProcessBuilder(binary().toString(), "-c", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("mosquitto.out").toFile()))
                    .start();
            process = started.toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto in " + folder, e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new IllegalStateException("mosquitto exited at once (code " + started.exitValue() + "): "
                        + read(folder.resolve("mosquitto.out")) + read(folder.resolve("mosquitto.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on port " + port + " within 10 s: " + log());
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
