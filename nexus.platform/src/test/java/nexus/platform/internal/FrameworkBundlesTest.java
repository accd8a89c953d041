package nexus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkBundlesTest {

    @Test
    void parsesTheCommaSeparatedFolderList(@TempDir Path home) {
        List<Path> folders = FrameworkBundles.watchedFolders(home.resolve("etc") + " , " + home.resolve("deploy") + ",");

        assertThat(folders).containsExactly(home.resolve("etc"), home.resolve("deploy"));
        assertThat(FrameworkBundles.watchedFolders(null)).isEmpty();
        assertThat(FrameworkBundles.watchedFolders(" ")).isEmpty();
    }

    @Test
    void recognisesFileLocationsInsideAWatchedFolder(@TempDir Path home) {
        List<Path> folders = List.of(home.resolve("deploy"));
        String inside = home.resolve("deploy/acme.jar").toUri().toString();
        String outside = home.resolve("jar/nexus.core.jar").toUri().toString();

        assertThat(FrameworkBundles.isInside(inside, folders)).isTrue();
        assertThat(FrameworkBundles.isInside("blueprint:" + inside, folders)).isTrue();
        assertThat(FrameworkBundles.isInside(outside, folders)).isFalse();
        assertThat(FrameworkBundles.isInside("jar/nexus.core.jar", folders)).isFalse();
        assertThat(FrameworkBundles.isInside("file:%%bad", folders)).isFalse();
        assertThat(FrameworkBundles.isInside(inside, List.of())).isFalse();
    }
}
