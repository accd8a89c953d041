package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link over TLS (ssl://) to a Mosquitto with a self-signed certificate, trusted through tls.truststore. */
class TlsLinkTest {

    @TempDir
    Path folder;

    private final ScheduledExecutorService sparkplug = Executors.newSingleThreadScheduledExecutor(
            task -> new Thread(task, "nexus-sparkplug"));
    private final RecordingEdge edge = new RecordingEdge();
    private Broker broker;
    private MqttLink link;

    @BeforeEach
    void tlsBroker() throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        assumeTrue(Files.isExecutable(openssl), "the TLS test makes its certificate with /usr/bin/openssl");
        Path tls = Files.createDirectories(folder.resolve("tls"));
        Process made = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                tls.resolve("key.pem").toString(), "-out", tls.resolve("cert.pem").toString())
                .redirectErrorStream(true).start();
        String output = new String(made.getInputStream().readAllBytes());
        assertThat(made.waitFor(30, TimeUnit.SECONDS) && made.exitValue() == 0).as(output).isTrue();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(tls.resolve("cert.pem"))) {
            trust.setCertificateEntry("broker", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(folder.resolve("trust.p12"))) {
            trust.store(out, "changeit".toCharArray());
        }
        Files.writeString(folder.resolve("tls.pw"), "changeit\n");
        broker = Broker.start(folder.resolve("broker"), "allow_anonymous true\ncertfile " + tls.resolve("cert.pem")
                + "\nkeyfile " + tls.resolve("key.pem") + "\n");
    }

    @AfterEach
    void stop() throws Exception {
        if (link != null) {
            sparkplug.submit(link::stop).get(10, TimeUnit.SECONDS);
        }
        sparkplug.shutdownNow();
        // other tests look for a live nexus-sparkplug thread: this one must be gone
        assertThat(sparkplug.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        if (broker != null) {
            broker.close();
        }
    }

    private void link(Map<String, String> more) {
        Map<String, Object> properties = new HashMap<>(Map.of("broker.urls", "ssl://127.0.0.1:" + broker.port(),
                "group.id", "plant", "edge.node.id", "nexus1", "reconnect.min.ms", "50", "reconnect.max.ms", "200"));
        properties.putAll(more);
        link = new MqttLink(Settings.of(properties, folder.toString()), new Topics(""), edge, new Counters(), sparkplug);
        link.start();
    }

    @Test
    void connectsOverTlsTrustingTheConfiguredStore() {
        link(Map.of("tls.truststore", "trust.p12", "tls.password.file", "tls.pw"));

        Await.until("the edge is online", () -> edge.count("online") == 1);
        assertThat(link.status().connected()).isTrue();
        assertThat(link.status().url()).startsWith("ssl://");
    }

    @Test
    void aBrokerCertificateNobodyTrustsIsTheProblem() {
        link(Map.of());

        Await.until("two sessions were tried", () -> edge.count("newSession") >= 2);
        assertThat(link.status().connected()).isFalse();
        assertThat(link.status().problem()).contains("Paho reason").containsIgnoringCase("certificat");
        assertThat(edge.count("online")).isZero();
    }
}
