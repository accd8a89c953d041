package nexus.platform.internal;

import java.io.File;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.Health;
import nexus.core.HealthIndicator;

/**
 * Watches over {@code deploy/}. Felix FileInstall installs, updates and uninstalls the bundles it
 * finds there; jars that are not bundles it would skip without a word, so this component takes
 * them (as a FileInstall {@link ArtifactInstaller}), logs why each one is refused and lists them
 * under {@code deploy} in the health report, together with deployed bundles that do not start.
 * Optional: a broken add-on is reported DOWN but does not take the node down.
 */
@Component(service = { ArtifactInstaller.class, HealthIndicator.class })
public final class DeployMonitor implements ArtifactInstaller, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(DeployMonitor.class);

    private final FrameworkBundles bundles;
    private final Map<String, String> rejected = new ConcurrentSkipListMap<>();

    @Activate
    public DeployMonitor(BundleContext context) {
        this.bundles = new FrameworkBundles(context);
    }

    @Override
    public boolean canHandle(File artifact) {
        return ArtifactCheck.isJar(artifact.toPath()) && ArtifactCheck.whyNotABundle(artifact.toPath()).isPresent();
    }

    @Override
    public void install(File artifact) {
        reject(artifact);
    }

    @Override
    public void update(File artifact) {
        reject(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        if (rejected.remove(artifact.getName()) != null) {
            LOG.info("{} was removed", artifact);
        }
    }

    private void reject(File artifact) {
        String reason = ArtifactCheck.whyNotABundle(artifact.toPath()).orElse("it changed while being read");
        rejected.put(artifact.getName(), reason);
        LOG.warn("{} is not an OSGi bundle and was not installed: {}. Put only bundles into {} (jars whose"
                + " manifest names a Bundle-SymbolicName; wrap a plain library with bnd first).",
                artifact, reason, artifact.getParent());
    }

    @Override
    public String name() {
        return "deploy";
    }

    @Override
    public boolean required() {
        return false;
    }

    @Override
    public Health health() {
        return BundleHealth.deployed(bundles.snapshot(), Map.copyOf(rejected), bundles.watchedFolders());
    }
}
