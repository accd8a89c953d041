package nexus.distro;

import static org.junit.Assert.assertFalse;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Base of the OSGi integration tests: a real Felix framework provisioned with exactly the exported
 * launcher's bundles and framework properties, a home folder copied from {@code home/}, HTTP on a
 * free loopback port; and the helpers the tests share.
 */
public abstract class NexusIT {

    static final String BUNDLES = "nexus.it.bundles";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    protected BundleContext context;

    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] configuration() throws IOException {
        Path launcher = Path.of(System.getProperty("nexus.launcher", "target/nexus.jar"));
        Path work = Files.createDirectories(Path.of("target", "it")).toAbsolutePath();
        Path run = Files.createTempDirectory(work, getClass().getSimpleName() + "-");
        Path home = run.resolve("home");
        copyTree(Path.of("home"), home);
        prepareHome(home);
        Path bundles = run.resolve("bundles");
        Map<String, String> overrides = new java.util.HashMap<>(frameworkProperties());
        overrides.putAll(Map.of(
                "org.osgi.service.http.port", String.valueOf(freePort()),
                "felix.fileinstall.dir", home.resolve("etc") + "," + home.resolve("deploy"),
                "felix.fileinstall.poll", "200",
                "nexus.home", home.toString(),
                BUNDLES, bundles.toUri().toString()));
        return options(
                composite(LauncherBundles.options(launcher, bundles, overrides)),
                workingDirectory(run.resolve("felix").toString()),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                junitBundles());
    }

    /** Changes the node's home (its etc/ files) before the node starts; nothing by default. */
    protected void prepareHome(Path home) throws IOException {
    }

    /** @return framework properties this test class sets instead of the launcher's (none by default) */
    protected Map<String, String> frameworkProperties() {
        return Map.of();
    }

    protected List<Bundle> launcherBundles() {
        String prefix = context.getProperty(BUNDLES);
        return Arrays.stream(context.getBundles()).filter(b -> b.getLocation().startsWith(prefix)).toList();
    }

    protected Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElse(null);
    }

    protected <T> T service(Class<T> type) {
        var reference = context.getServiceReference(type);
        return reference == null ? null : context.getService(reference);
    }

    /** Runs a Gogo command line as the console would and returns what it printed or returned. */
    protected String shell(String command) throws Exception {
        CommandProcessor processor = service(CommandProcessor.class);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out)) {
            Object result = session.execute(command);
            return result == null ? bytes.toString(StandardCharsets.UTF_8) : result.toString();
        }
    }

    protected List<Path> watchedFolders() {
        return Arrays.stream(context.getProperty("felix.fileinstall.dir").split(",")).map(Path::of).toList();
    }

    protected Path etc() {
        return watchedFolders().get(0);
    }

    protected Path deploy() {
        return watchedFolders().get(1);
    }

    protected Path home() {
        return Path.of(context.getProperty("nexus.home"));
    }

    protected static org.osgi.service.cm.Configuration configuration(ConfigurationAdmin configAdmin, String pid) {
        try {
            org.osgi.service.cm.Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            return found == null ? null : found[0];
        } catch (IOException | InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    protected String log() {
        Path log = home().resolve("data/log/nexus.log");
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected Stream<String> logLines() {
        return log().lines();
    }

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port") + path);
    }

    /** @return the response, or null when the server cannot be reached */
    protected HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    protected int status(String path) {
        HttpResponse<String> response = get(path);
        return response == null ? -1 : response.statusCode();
    }

    /** @return the JSON body of a GET, or a missing node when there is none */
    protected JsonNode json(String path) {
        HttpResponse<String> response = get(path);
        if (response == null || response.body().isEmpty()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    protected JsonNode health() {
        return json("/health");
    }

    /** Waits until the alarm manager has taken its alarms over, and stops the simulator (tests move values themselves). */
    protected void awaitAlarmsWithoutSimulator() throws Exception {
        Await.until("the alarm manager knows its alarms", () -> {
            nexus.alarm.AlarmService service = service(nexus.alarm.AlarmService.class);
            nexus.registry.TagRegistry tags = service(nexus.registry.TagRegistry.class);
            if (service == null || tags == null || tags.status().version() == 0) {
                return false;
            }
            try {
                return !service.list(Its.ADMIN, nexus.alarm.AlarmFilter.ALL).isEmpty();
            } catch (RuntimeException e) {
                return false;
            }
        });
        Bundle simulator = bundle("nexus.simulator");
        if (simulator.getState() == Bundle.ACTIVE) {
            simulator.stop();
        }
    }

    protected JsonNode awaitHealth(int status) {
        Await.until("/health answers " + status, () -> status("/health") == status);
        JsonNode health = health();
        assertFalse(health.isMissingNode());
        return health;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
