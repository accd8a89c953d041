package nexus.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TagPathTest {

    @Test
    void acceptsSlashSeparatedSegmentsWithAnyOtherCharacters() {
        assertThat(TagPath.problem("plant1/line2/tt101")).isNull();
        assertThat(TagPath.problem("single")).isNull();
        assertThat(TagPath.problem("v1.2/a..b/..x/x../.hidden/Ölstand °C")).isNull();
    }

    @Test
    void refusesEmptyAndEmptySegments() {
        assertThat(TagPath.problem(null)).contains("empty");
        assertThat(TagPath.problem("")).contains("empty");
        assertThat(TagPath.problem("/a")).contains("empty segment");
        assertThat(TagPath.problem("a/")).contains("empty segment");
        assertThat(TagPath.problem("a//b")).contains("empty segment");
        assertThat(TagPath.problem("/")).contains("empty segment");
    }

    @Test
    void refusesDotSegments() {
        assertThat(TagPath.problem(".")).contains("'.'");
        assertThat(TagPath.problem("..")).contains("'..'");
        assertThat(TagPath.problem("a/../b")).contains("'..'");
        assertThat(TagPath.problem("a/.")).contains("'.'");
        assertThat(TagPath.problem("../etc")).contains("'..'");
    }

    @Test
    void refusesHalvesOfSurrogatePairsAndTakesWholeOnes() {
        assertThat(TagPath.problem("a/\ud800")).contains("U+D800").contains("surrogate");
        assertThat(TagPath.problem("\udc00x")).contains("U+DC00");
        assertThat(TagPath.problem("a/\ud800\ud800/b")).contains("U+D800");
        assertThat(TagPath.problem("a/\ud834\udd1e/b")).as("U+1D11E, a pair").isNull();
    }

    @Test
    void refusesControlCharacters() {
        assertThat(TagPath.problem("a\u0000b")).contains("U+0000");
        assertThat(TagPath.problem("a\nb")).contains("U+000A");
        assertThat(TagPath.problem("a\u001Fb")).contains("U+001F");
        assertThat(TagPath.problem("a\u007Fb")).contains("U+007F");
    }

    @Test
    void countsTheLengthInUtf8Bytes() {
        assertThat(TagPath.problem("x".repeat(TagPath.MAX_BYTES))).isNull();
        assertThat(TagPath.problem("x".repeat(TagPath.MAX_BYTES + 1))).contains("1024");
        assertThat(TagPath.problem("é".repeat(512))).isNull();
        assertThat(TagPath.problem("é".repeat(512) + "x")).contains("1024");
        assertThat(TagPath.problem("€".repeat(342))).contains("1024");
    }
}
