package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.HostBirthTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.Test;

import nexus.registry.Problem;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;

/**
 * Review findings (task K): values a host must not serve as GOOD, and what a remote peer can make
 * the host keep. Each test fails on main at ea080aa.
 */
class HostReviewTest {

    private static final String COUNT = "sites/plant/press1/line/count";

    private final HostFixture f = new HostFixture();
    private final TahuEdge edge = new TahuEdge("plant", "press1");

    private ReadStatus readStatus(String path) {
        BlockRead read = new BlockRead(8);
        HostFixture.value(f.registry.last(), f.tag(path), read);
        return read.status();
    }

    /** The plant's metrics with line/count born is_null and quality BAD, as a Nexus edge sends a bad tag. */
    private static List<Metric> countBornBad() {
        List<Metric> metrics = new ArrayList<>(HostBirthTest.plantMetrics());
        metrics.set(1, TahuEdge.metric("line/count", 11, MetricDataType.Int32, null,
                Map.of("quality", "BAD_UNKNOWN_BANK")));
        return metrics;
    }

    @Test
    void aMetricBornNullIsNotReadGood() {
        f.birth(edge, edge.birth(3, T0, countBornBad()));

        assertThat(f.value(COUNT)).as("the bank's zero, never sent by the edge").isEqualTo(0L);
        assertThat(readStatus(COUNT)).as("a value the edge said it does not have is not GOOD")
                .isNotEqualTo(ReadStatus.OK);
    }

    @Test
    void aMetricThatTurnsNullIsNotReadGoodWithItsLastValue() {
        f.birth(edge, edge.birth(3, T0, HostBirthTest.plantMetrics()));

        f.host.message(edge.topic("NDATA"), edge.data(T0 + 100, TahuEdge.byAlias(11, MetricDataType.Int32, null)));

        assertThat(f.value(COUNT)).isEqualTo(42L);
        assertThat(readStatus(COUNT)).as("the edge's tag went bad; 42 is no longer its value")
                .isNotEqualTo(ReadStatus.OK);
    }

    @Test
    void aValueTheHostCouldNotTakeInLeavesTheMirrorStaleUntilTheRebirth() {
        f.birth(edge, edge.birth(3, T0, HostBirthTest.plantMetrics()));

        f.host.message(edge.topic("NDATA"), edge.data(T0 + 100, TahuEdge.byAlias(11, MetricDataType.Double, 1.5)));

        assertThat(f.value(COUNT)).as("the edge's count is 1.5 now; the mirror still holds").isEqualTo(42L);
        assertThat(readStatus(COUNT)).as("a message not taken in: the mirror is not current")
                .isEqualTo(ReadStatus.STALE);
    }

    @Test
    void nodesThatNeverSentABirthAreNotKeptForever() {
        for (int i = 0; i < 500; i++) {
            f.host.message("spBv1.0/plant/NDATA/ghost-" + i, new byte[] {(byte) 0xff, 0x01});
        }

        assertThat(f.host.status().nodes()).as("one undecodable message per made-up node id is a node kept for ever")
                .hasSizeLessThan(500);
    }

    @Test
    void aContributionTheRegistryRefusedIsOfferedAgainWithTheNextBirth() {
        f.registry.problems = List.of(new Problem(Problem.Kind.INTEGRITY, "the registry's content cannot be copied to"
                + " build a version with contributions: No space left on device", List.of("registry.db")));
        f.birth(edge, edge.birth(3, T0, HostBirthTest.plantMetrics()));
        assertThat(f.registry.contributions).hasSize(1);

        f.registry.problems = List.of();
        f.birth(edge, edge.birth(3, T0 + 1000, HostBirthTest.plantMetrics()));

        assertThat(f.registry.contributions).as("TagRegistry.contribute: a problem other than DUPLICATE_PATH means"
                + " nothing was served; the unchanged rebirth must offer the mirror again").hasSize(2);
    }
}
