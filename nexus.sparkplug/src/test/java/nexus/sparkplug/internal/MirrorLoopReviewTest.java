package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.query.TagInfo;

/**
 * Review finding (task K): with {@code roles = edge, host} the edge's birth lists every tag its identity
 * reads — the host's mirrors too (access control off: all of them). A node whose {@code host.groups}
 * holds its own group mirrors its own birth, which then carries {@code sites/plant/self/...}, which is
 * mirrored again one level deeper at the next birth, and so on; two such nodes do it to each other.
 * Fails on main at ea080aa.
 */
class MirrorLoopReviewTest {

    private final EdgeFixture edge = new EdgeFixture();

    @Test
    void anEdgeDoesNotPublishTheMirrorsOfItsOwnHost() {
        edge.tags.tag(1, "line/count", "INT32", 1L);
        edge.tags.tag(new TagInfo(2, "sites/plant/nexus1/line/count", "INT32", "sp-1", 0, 0, 4, null, null, false, null,
                null, Map.of("sparkplug_group", "plant", "sparkplug_edge", "nexus1")), 1L);

        Births.Namespace namespace = new Births(EdgeFixture.IDENTITY, 10, List.of("sites/")).list(edge.tags);

        assertThat(namespace.tags()).extracting(TagInfo::path).as("a mirror published again is mirrored again, deeper")
                .containsExactly("line/count");
    }
}
