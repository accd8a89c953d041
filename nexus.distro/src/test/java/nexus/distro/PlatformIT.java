package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.HealthIndicator;

/**
 * The platform in a real Felix framework provisioned with exactly the exported launcher's bundles:
 * bundle states, {@code /health} over real HTTP on a loopback port, hot deployment from
 * {@code deploy/}, configuration from {@code etc/}, and stopping and restarting a front-end.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT extends NexusIT {

    @Test
    public void everyLauncherBundleIsActive() {
        List<Bundle> launcherBundles = launcherBundles();

        assertEquals("the launcher's bundles are all installed",
                Integer.parseInt(context.getProperty(LauncherBundles.BUNDLE_COUNT)), launcherBundles.size());
        for (Bundle bundle : launcherBundles) {
            assertEquals(bundle.getSymbolicName() + " is active", Bundle.ACTIVE, bundle.getState());
        }
    }

    @Test
    public void healthAnswers200OverRealHttp() throws Exception {
        JsonNode health = awaitHealth(200);

        assertEquals("UP", health.path("status").asText());
        assertEquals("UP", health.path("components").path("framework").path("status").asText());
        assertTrue(health.path("components").path("framework").path("detail").asText().matches("\\d+ platform bundles active"));
        assertTrue(health.path("components").path("framework").path("required").asBoolean());
    }

    @Test
    public void aBundleDroppedIntoDeployRegistersItsServiceIsUpdatedWhenChangedAndUninstalledWhenDeleted()
            throws Exception {
        Path jar = deploy().resolve("acme.sample.jar");

        TestBundles.sample(jar, "acme.sample");
        Await.until("the deployed bundle registers its health indicator", () -> sampleIndicator() != null);
        Bundle deployed = bundle("acme.sample");
        // its activator registers the indicator while the bundle is still STARTING: wait for the state, not the service
        Await.until("the deployed bundle is ACTIVE", () -> deployed.getState() == Bundle.ACTIVE);
        Await.until("/health lists the deployed component",
                () -> health().path("components").path("sample").path("detail").asText().equals("deployed by an integrator"));

        TestBundles.sample(jar, "acme.sample", "1.0.1");
        Await.until("the changed jar updates the bundle in place",
                () -> deployed.getVersion().toString().equals("1.0.1") && deployed.getState() == Bundle.ACTIVE);
        assertEquals("updated, not reinstalled", deployed.getBundleId(), bundle("acme.sample").getBundleId());
        Await.until("the updated bundle registers its service again", () -> sampleIndicator() != null);

        Files.delete(jar);
        // Felix drops the bundle from the list a moment before its state reads UNINSTALLED: wait for both
        Await.until("the bundle is uninstalled",
                () -> bundle("acme.sample") == null && deployed.getState() == Bundle.UNINSTALLED);
        Await.until("/health no longer lists it", () -> health().path("components").path("sample").isMissingNode());
    }

    @Test
    public void brokenJarsInDeployAreReportedAndDisturbNothing() throws Exception {
        Path garbage = deploy().resolve("not-a-bundle.jar");
        Path unresolvable = deploy().resolve("acme.unresolvable.jar");
        Path good = deploy().resolve("acme.good.jar");

        TestBundles.garbage(garbage);
        TestBundles.unresolvable(unresolvable, "acme.unresolvable");
        Await.until("the unresolvable bundle is installed", () -> bundle("acme.unresolvable") != null);
        assertEquals(Bundle.INSTALLED, bundle("acme.unresolvable").getState());
        Await.until("/health lists the jar that is not a bundle",
                () -> health().path("components").path("deploy").path("detail").asText().contains("not-a-bundle.jar"));

        JsonNode health = awaitHealth(200);
        assertEquals("the node stays UP", "UP", health.path("status").asText());
        String deployDetail = health.path("components").path("deploy").path("detail").asText();
        assertEquals("DOWN", health.path("components").path("deploy").path("status").asText());
        assertTrue(deployDetail, deployDetail.contains("acme.unresolvable 1.0.0"));
        assertTrue(deployDetail, deployDetail.contains("INSTALLED (not resolved: see the log)"));
        assertTrue(deployDetail, deployDetail.contains("not-a-bundle.jar (it is not a zip file)"));
        Await.until("the log names the jar that is not a bundle and why",
                () -> logLines().anyMatch(l -> l.contains("WARN") && l.contains("not-a-bundle.jar is not an OSGi bundle")
                        && l.contains("it is not a zip file")));

        // The watcher still works: a good bundle dropped afterwards is installed and started.
        TestBundles.sample(good, "acme.good");
        Await.until("the good bundle starts", () -> bundle("acme.good") != null && bundle("acme.good").getState() == Bundle.ACTIVE);
        for (Bundle bundle : launcherBundles()) {
            assertEquals(bundle.getSymbolicName() + " is undisturbed", Bundle.ACTIVE, bundle.getState());
        }

        Files.delete(garbage);
        Files.delete(unresolvable);
        Files.delete(good);
        Await.until("the deployed bundles are removed", () -> bundle("acme.unresolvable") == null && bundle("acme.good") == null);
        Await.until("deploy is UP again", () -> health().path("components").path("deploy").path("status").asText().equals("UP"));
    }

    @Test
    public void aComponentThatCannotUseItsConfigurationMakesTheNodeDownSayingWhichFile() throws Exception {
        awaitHealth(200);
        Path config = etc().resolve("nexus.query.cfg");
        String original = Files.readString(config);
        try {
            Files.writeString(config, original.replaceFirst("(?m)^timeout\\s*=.*$", "timeout = abc"));
            Await.until("framework DOWN naming the file", () -> health().path("components").path("framework").path("detail")
                    .asText().contains("could not start"));
            JsonNode health = health();
            String detail = health.path("components").path("framework").path("detail").asText();
            assertTrue(detail, detail.contains("etc/nexus.query.cfg") && detail.contains("\"abc\""));
            assertTrue(detail, !detail.contains("Exception") && !detail.contains("\tat "));
            assertEquals(503, status("/health"));
        } finally {
            Files.writeString(config, original);
        }
        awaitHealth(200);
    }

    @Test
    public void aMalformedConfigurationFileIsLoggedWithItsNameAndDisturbsNothing() throws Exception {
        Path etc = etc();
        Path broken = etc.resolve("nexus.broken.config");

        Files.writeString(broken, "port = I\"eighty\"\n");
        Await.until("the log names the malformed file and the reason", () -> logLines().anyMatch(
                l -> (l.contains("WARN") || l.contains("ERROR")) && l.contains("nexus.broken.config")));
        assertTrue(log().contains("For input string: \"eighty\""));

        JsonNode health = awaitHealth(200);
        assertEquals("UP", health.path("status").asText());
        for (Bundle bundle : launcherBundles()) {
            assertEquals(bundle.getSymbolicName() + " is undisturbed", Bundle.ACTIVE, bundle.getState());
        }
        Files.delete(broken);
    }

    @Test
    public void configurationChangedAtRuntimeIsNeverWrittenBackIntoEtc() throws Exception {
        Path etc = watchedFolders().get(0);
        Path logging = etc.resolve("org.ops4j.pax.logging.cfg");
        byte[] before = Files.readAllBytes(logging);
        ConfigurationAdmin configAdmin = context.getService(context.getServiceReference(ConfigurationAdmin.class));

        org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration("org.ops4j.pax.logging", "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        properties.put("log4j2.logger.it.name", "nexus.it");
        properties.put("log4j2.logger.it.level", "DEBUG");
        configuration.update(properties);
        // A file dropped afterwards is seen in a later scan: once it is applied, FileInstall has
        // had its chance to write the change above back.
        Files.writeString(etc.resolve("nexus.it.marker.cfg"), "marker = true\n");
        Await.until("the marker configuration is applied",
                () -> configuration(configAdmin, "nexus.it.marker") != null);

        assertTrue("etc/org.ops4j.pax.logging.cfg is unchanged", Arrays.equals(before, Files.readAllBytes(logging)));
        Files.delete(etc.resolve("nexus.it.marker.cfg"));
    }

    @Test
    public void stoppingTheHttpFrontEndLeavesEveryOtherBundleRunning() throws Exception {
        awaitHealth(200);
        Bundle api = bundle("nexus.api.http");
        assertNotNull(api);

        api.stop();
        try {
            assertEquals(Bundle.RESOLVED, api.getState());
            for (Bundle bundle : launcherBundles()) {
                if (bundle != api) {
                    assertEquals(bundle.getSymbolicName() + " keeps running", Bundle.ACTIVE, bundle.getState());
                }
            }
            Await.until("/health is gone with its bundle", () -> status("/health") == 404);
        } finally {
            api.start();
        }

        JsonNode health = awaitHealth(200);
        assertEquals("UP", health.path("status").asText());
    }


    private HealthIndicator sampleIndicator() {
        try {
            for (ServiceReference<HealthIndicator> ref : context.getServiceReferences(HealthIndicator.class, null)) {
                HealthIndicator indicator = context.getService(ref);
                if (indicator != null && "sample".equals(indicator.name())) {
                    return indicator;
                }
            }
            return null;
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
