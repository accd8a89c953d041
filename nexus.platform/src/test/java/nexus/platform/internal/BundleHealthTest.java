package nexus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.HealthStatus;
import nexus.platform.internal.BundleSnapshot.State;

class BundleHealthTest {

    private static BundleSnapshot bundle(long id, String name, State state, boolean deployed) {
        return new BundleSnapshot(id, name, "1.0.0", state, false, false, deployed);
    }

    @Test
    void platformIsUpWhenEveryPlatformBundleIsActive() {
        var health = BundleHealth.platform(List.of(
                bundle(1, "nexus.core", State.ACTIVE, false),
                bundle(2, "acme.addon", State.INSTALLED, true)), 20, 20);

        assertThat(health.status()).isEqualTo(HealthStatus.UP);
        assertThat(health.detail()).isEqualTo("1 platform bundles active");
    }

    @Test
    void platformIsDownAndNamesEveryInactiveBundle() {
        var health = BundleHealth.platform(List.of(
                bundle(1, "nexus.core", State.ACTIVE, false),
                bundle(7, "nexus.rma", State.RESOLVED, false),
                bundle(8, "nexus.query", State.INSTALLED, false)), 20, 20);

        assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(health.detail())
                .startsWith("2 of 3 platform bundles are not active")
                .contains("nexus.rma 1.0.0 [7] RESOLVED")
                .contains("nexus.query 1.0.0 [8] INSTALLED (not resolved: see the log)");
    }

    @Test
    void platformIsDownWhileTheFrameworkIsStarting() {
        var health = BundleHealth.platform(List.of(bundle(1, "nexus.core", State.ACTIVE, false)), 5, 20);

        assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(health.detail()).isEqualTo("the framework is starting: start level 5 of 20");
    }

    @Test
    void fragmentsAndLazyBundlesCountAsHealthy() {
        var fragment = new BundleSnapshot(3, "nexus.fragment", "1.0.0", State.RESOLVED, true, false, false);
        var lazy = new BundleSnapshot(4, "nexus.lazy", "1.0.0", State.STARTING, false, true, false);

        assertThat(BundleHealth.platform(List.of(fragment, lazy), 1, 1).status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aFragmentThatIsOnlyInstalledIsNotHealthy() {
        var fragment = new BundleSnapshot(3, "nexus.fragment", "1.0.0", State.INSTALLED, true, false, false);

        assertThat(BundleHealth.platform(List.of(fragment), 1, 1).status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void deployedListsBrokenAddOnsOnly() {
        var health = BundleHealth.deployed(List.of(
                bundle(1, "nexus.core", State.INSTALLED, false),
                bundle(30, "acme.good", State.ACTIVE, true),
                bundle(31, "acme.broken", State.INSTALLED, true)), Map.of(), List.of("/srv/nexus/deploy"));

        assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(health.detail())
                .isEqualTo("1 of 2 deployed bundles are not active: acme.broken 1.0.0 [31] INSTALLED"
                        + " (not resolved: see the log); watching /srv/nexus/deploy");
    }

    @Test
    void deployedIsUpWithNothingDeployed() {
        var health = BundleHealth.deployed(List.of(bundle(1, "nexus.core", State.ACTIVE, false)), Map.of(), List.of());

        assertThat(health.status()).isEqualTo(HealthStatus.UP);
        assertThat(health.detail()).isEqualTo("0 deployed bundles active; no folder is watched");
    }

    @Test
    void deployedListsJarsThatAreNotBundles() {
        var health = BundleHealth.deployed(List.of(bundle(30, "acme.good", State.ACTIVE, true)),
                Map.of("lib.jar", "its manifest has no Bundle-SymbolicName header"), List.of("/d"));

        assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(health.detail())
                .isEqualTo("1 jars are not bundles: lib.jar (its manifest has no Bundle-SymbolicName header); watching /d");
    }

    @Test
    void longListsAreCut() {
        var many = java.util.stream.LongStream.rangeClosed(1, 12)
                .mapToObj(i -> bundle(i, "b" + i, State.INSTALLED, false)).toList();

        assertThat(BundleHealth.platform(many, 1, 1).detail()).endsWith("and 2 more");
    }
}
