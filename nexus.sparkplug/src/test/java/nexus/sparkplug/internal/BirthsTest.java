package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.EdgeFixture.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.tahu.message.model.Metric;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.TagInfo;

/** A birth is read whole from one registry version, or not published at all. */
class BirthsTest {

    private final EdgeFixture edge = new EdgeFixture();

    @BeforeEach
    void namespace() {
        edge.tags.tag(1, "a/one", "INT16", 1L).tag(2, "a/two", "INT16", 2L).tag(3, "b/three", "UINT32", 4_000_000_000L);
    }

    @Test
    void aListingWhosePagesComeFromTwoRegistryVersionsIsStartedAgain() {
        AtomicInteger pages = new AtomicInteger();
        edge.tags.afterList = () -> {
            if (pages.incrementAndGet() == 1) {
                edge.tags.newVersion();
            }
        };

        Births.Namespace namespace = new Births(EdgeFixture.IDENTITY, 10).list(edge.tags);

        assertThat(namespace.version()).isEqualTo(2L);
        assertThat(namespace.paths()).containsExactly("a/one", "a/two", "b/three");
        assertThat(edge.tags.listCalls).as("two pages of the first listing (the second is of version 2), two of the next")
                .isEqualTo(4);
    }

    @Test
    void aRegistryThatKeepsChangingIsNoBirth() {
        edge.tags.afterList = edge.tags::newVersion;

        assertThatThrownBy(() -> new Births(EdgeFixture.IDENTITY, 10).list(edge.tags))
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("changed while its tags were listed");
    }

    @Test
    void aNewVersionBetweenTheListingAndTheWatchIsListedAgainBeforeTheBirth() {
        AtomicInteger watches = new AtomicInteger();
        edge.tags.afterWatch = () -> {
            if (watches.incrementAndGet() == 1) {
                edge.tags.newVersion("a/two");
            }
        };

        EdgeNode node = edge.online();

        assertThat(edge.transport.of("NBIRTH")).hasSize(1);
        assertThat(metric(edge.transport.last("NBIRTH"), "_nexus/registry/version").getValue()).isEqualTo(2L);
        assertThat(edge.transport.last("NBIRTH").getMetrics()).extracting(Metric::getName).doesNotContain("a/two");
        assertThat(edge.tags.openWatches).isOne();
        node.tick();
        assertThat(edge.transport.of("NBIRTH")).as("the birth is of the version the watch serves").hasSize(1);
    }

    @Test
    void anUnsignedValueAboveTwoToThe31IsBornUnsigned() {
        edge.online();

        assertThat(metric(edge.transport.last("NBIRTH"), "b/three").getValue()).isEqualTo(4_000_000_000L);
    }

    @Test
    void aTagNamedLikeANodeMetricOrOfAnUnknownTypeIsNoBirth() {
        Births births = new Births(EdgeFixture.IDENTITY, 10);
        TagInfo clash = new TagInfo(4, "Node Control/Rebirth", "BOOL", "b", 0, 0, 1, null, null, true, null, null, Map.of());
        TagInfo odd = new TagInfo(5, "a/odd", "COMPLEX", "b", 0, 0, 1, null, null, true, null, null, Map.of());

        assertThatThrownBy(() -> births.build(new Births.Namespace(1, List.of(clash)), Map.of(), List.of(), 0, 1))
                .isInstanceOf(NexusException.class).hasMessageContaining("Node Control/Rebirth")
                .hasMessageContaining("rename the tag");
        assertThatThrownBy(() -> births.build(new Births.Namespace(1, List.of(odd)), Map.of(), List.of(), 0, 1))
                .isInstanceOf(NexusException.class).hasMessageContaining("a/odd").hasMessageContaining("COMPLEX");
    }
}
