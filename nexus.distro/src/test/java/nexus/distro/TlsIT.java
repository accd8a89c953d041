package nexus.distro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * HTTPS and exposure, as an integrator sets them up: {@code ./nexus} as a real process, a PKCS12
 * keystore made with {@code keytool} and named in {@code etc/org.apache.felix.http.cfg}, real TLS
 * over loopback with a client that trusts exactly that certificate; an open node (no identities)
 * bound beyond loopback refused, and allowed with {@code --insecure}.
 */
class TlsIT {

    private static final Path SCRIPT = Path.of("..", "nexus").toAbsolutePath().normalize();
    private static final Path LAUNCHER = Path.of(System.getProperty("nexus.launcher", "target/nexus.jar")).toAbsolutePath();
    /** Generous: the first start of a home generates the demo plant, on a shared 2-core machine. */
    private static final Duration START = Duration.ofSeconds(120);
    private static final String PASSWORD = "it-keystore-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final List<Process> started = new ArrayList<>();

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

    @Test
    void servesHealthOverHttpsWithTheKeystoreNamedInEtcAndPlainHttpIsOff() throws Exception {
        Path home = temp.resolve("home");
        Path keystore = Files.createDirectories(home.resolve("etc")).resolve("nexus.p12");
        keytool("-genkeypair", "-alias", "nexus", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD);
        Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-------"));
        int http = freePort();
        int https = freePort();
        Files.writeString(home.resolve("etc/org.apache.felix.http.cfg"), String.join("\n",
                "org.apache.felix.https.enable = true",
                "org.osgi.service.http.port.secure = " + https,
                "org.apache.felix.https.keystore = etc/nexus.p12",
                "org.apache.felix.https.keystore.type = PKCS12",
                "org.apache.felix.https.keystore.password = " + PASSWORD,
                "org.apache.felix.https.keystore.key.password = " + PASSWORD,
                "org.apache.felix.http.enable = false", ""));
        HttpClient pinned = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(trusting(certificate(keystore))).build();
        URI health = URI.create("https://127.0.0.1:" + https + "/health");

        Node nexus = start("--port", String.valueOf(http), "--home", home.toString());
        try {
            Await.until("/health answers 200 over HTTPS", START, () -> {
                assertThat(nexus.process().isAlive()).as("./nexus is still running").isTrue();
                return status(pinned, health) == 200;
            });
            HttpResponse<String> response = pinned.send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("status").asText()).isIn("UP", "DEGRADED");
            assertThat(response.sslSession()).get().extracting(s -> s.getProtocol()).isIn("TLSv1.3", "TLSv1.2");

            HttpClient trustsTheUsualAuthorities = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> trustsTheUsualAuthorities.send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.discarding()))
                    .as("a self-signed certificate is trusted by nobody who was not given it")
                    .isInstanceOf(SSLHandshakeException.class);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()))
                    .as("plain HTTP is off").isInstanceOf(ConnectException.class);
        } finally {
            assertThat(terminate(nexus)).as("exit status after SIGTERM").isZero();
        }
        String log = Files.readString(home.resolve("data/log/nexus.log"));
        assertThat(log).as("the keystore is not mistaken for something to deploy").doesNotContain("nexus.p12");
        assertThat(log).doesNotContain(PASSWORD);
    }

    @Test
    void anAddressSetInTheHttpConfigurationInsteadOfWithBindIsRefused() throws Exception {
        Path home = temp.resolve("address");
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/org.apache.felix.http.cfg"), "org.apache.felix.http.host = 0.0.0.0\n");

        Node nexus = start("--port", String.valueOf(freePort()), "--home", home.toString());

        assertThat(nexus.process().waitFor(START.toSeconds(), TimeUnit.SECONDS)).as("./nexus ends by itself").isTrue();
        assertThat(nexus.process().exitValue()).isEqualTo(1);
        assertThat(nexus.err().lines().filter(l -> !l.contains("default files")))
                .containsExactly("nexus: " + home.toRealPath() + "/etc/org.apache.felix.http.cfg sets org.apache.felix.http.host:"
                        + " remove it and give the address with --bind");
    }

    @Test
    void anOpenNodeBoundBeyondLoopbackRefusesToStartWithOneLineAndExitStatus78() throws Exception {
        Path home = newHome("refused");

        Node nexus = start("--bind", "0.0.0.0", "--port", String.valueOf(freePort()), "--home", home.toString());

        assertThat(nexus.process().waitFor(START.toSeconds(), TimeUnit.SECONDS)).as("./nexus ends by itself").isTrue();
        assertThat(nexus.process().exitValue()).isEqualTo(78);
        List<String> refusal = nexus.err().lines().filter(l -> !l.contains("default files")).toList();
        assertThat(refusal).hasSize(1);
        assertThat(refusal.get(0))
                .startsWith("nexus: refusing to start: HTTP listens on 0.0.0.0 and RMA Nexus has no identities yet")
                .contains("nexus:token create NAME ROLE").contains("JWT issuer").contains("--insecure");
        assertThat(Files.readString(home.resolve("data/log/nexus.log")))
                .contains("ERROR").contains(refusal.get(0).substring("nexus: ".length()));
    }

    @Test
    void insecureLetsAnOpenNodeListenBeyondLoopbackWithAWarningAndHealthDegraded() throws Exception {
        Path home = newHome("insecure");
        int port = freePort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI health = URI.create("http://127.0.0.1:" + port + "/health");

        Node nexus = start("--bind", "0.0.0.0", "--insecure", "--port", String.valueOf(port), "--home", home.toString());
        try {
            Await.until("/health says DEGRADED", START, () -> {
                assertThat(nexus.process().isAlive()).as("./nexus is still running").isTrue();
                return healthStatus(http, health).equals("DEGRADED");
            });
            JsonNode exposure = JSON.readTree(http.send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("components").path("exposure");
            assertThat(exposure.path("status").asText()).isEqualTo("DEGRADED");
            assertThat(exposure.path("detail").asText()).contains("every client is admin");
            assertThat(nexus.err()).contains("nexus: warning: RMA Nexus listens on 0.0.0.0 with no identities (--insecure)");
        } finally {
            assertThat(terminate(nexus)).isZero();
        }
        assertThat(Files.readString(home.resolve("data/log/nexus.log")))
                .containsPattern("WARN .* RMA Nexus listens on 0\\.0\\.0\\.0 with no identities \\(--insecure\\)");
    }

    /** A new home: no token, no JWT issuer, so nexus.security's authenticator is open. */
    private Path newHome(String name) throws IOException {
        return Files.createDirectories(temp.resolve(name));
    }

    private Node start(String... args) throws IOException {
        int run = started.size() + 1;
        Path out = temp.resolve("stdout-" + run + ".txt");
        Path err = temp.resolve("stderr-" + run + ".txt");
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("NEXUS_LAUNCHER", LAUNCHER.toString());
        builder.environment().remove("JAVA_OPTS");
        Process process = builder.start();
        started.add(process);
        return new Node(process, out, err);
    }

    private static int terminate(Node node) throws InterruptedException {
        node.process().destroy();
        assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).as("RMA Nexus exits after SIGTERM").isTrue();
        return node.process().exitValue();
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as("keytool: " + out).isZero();
    }

    private static Certificate certificate(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store.getCertificate("nexus");
    }

    /** @return a TLS context that trusts this one certificate and nothing else */
    private static SSLContext trusting(Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("nexus", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static int status(HttpClient client, URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String healthStatus(HttpClient client, URI uri) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            return body.path("status").asText();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }
}
