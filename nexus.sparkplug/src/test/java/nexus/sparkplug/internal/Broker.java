package nexus.sparkplug.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Eclipse Mosquitto for the link's tests (the idea of nexus.distro's Mosquitto fixture, kept
 * small): its own configuration on 127.0.0.1 and a free port, its own log, no persistence.
 */
final class Broker implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path folder;
    private final int port;
    private final String extraConfig;
    private Process process;

    private Broker(Path folder, int port, String extraConfig) {
        this.folder = folder;
        this.port = port;
        this.extraConfig = extraConfig;
    }

    /** @return a broker accepting anonymous clients */
    static Broker start(Path folder) {
        return start(folder, "allow_anonymous true\n");
    }

    /** @param extraConfig the listener's settings, e.g. {@code allow_anonymous false} and a {@code password_file} */
    static Broker start(Path folder, String extraConfig) {
        Broker broker = new Broker(folder, Cable.freePort(), extraConfig);
        broker.startProcess();
        return broker;
    }

    /** @return a password file for one user, made by mosquitto_passwd */
    static Path passwordFile(Path folder, String user, String password) throws Exception {
        Files.createDirectories(folder);
        Path file = folder.resolve("passwords");
        Process made = new ProcessBuilder("mosquitto_passwd", "-b", "-c", file.toString(), user, password)
                .redirectErrorStream(true).start();
        if (!made.waitFor(20, TimeUnit.SECONDS) || made.exitValue() != 0) {
            throw new IllegalStateException("mosquitto_passwd failed: " + new String(made.getInputStream().readAllBytes()));
        }
        return file;
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Kills the broker (no clean shutdown), as a crash looks to its clients. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts the killed broker again on the same port. */
    void restart() {
        kill();
        startProcess();
    }

    @Override
    public void close() {
        kill();
    }

    private void startProcess() {
        try {
            Files.createDirectories(folder);
            Path config = folder.resolve("mosquitto.conf");
            // run as whoever runs the test: as root, Mosquitto would become the user mosquitto, who cannot
            // read a password file in the test's private temporary folder
            Files.writeString(config, "user " + System.getProperty("user.name") + "\nper_listener_settings true\n"
                    + "persistence false\nlog_dest file "
                    + folder.resolve("mosquitto.log") + "\nlog_type all\nlistener " + port + " 127.0.0.1\n" + extraConfig);
            process = new ProcessBuilder(BINARY.toString(), "-c", config.toString()).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("mosquitto.out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY + " (install the Debian package mosquitto)", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited at once, code " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Await.pause();
            }
        }
        throw new IllegalStateException("mosquitto did not listen on port " + port + " within 10 s");
    }
}
