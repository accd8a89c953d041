package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Tag;

/** The registry's typed lookups, on a real file: by ids, by path prefix in pages, by property. */
class RegistryLookupsTest {

    @TempDir
    Path dir;

    private LoadedRegistry plant() {
        Path db = dir.resolve("plant.db");
        assertThat(RegistryAdmin.importList(ImportTest.EXAMPLES.resolve("plant.csv"), db).valid()).isTrue();
        return RegistryLoader.load(db, 1, 2, 500).registry();
    }

    private static long id(LoadedRegistry registry, String path) {
        return registry.tag(path).orElseThrow().id();
    }

    private static List<String> paths(List<Tag> tags) {
        return tags.stream().map(Tag::path).toList();
    }

    @Test
    void tagsByIdsComeInTheOrderAskedWithNullForUnknownIds() {
        LoadedRegistry registry = plant();
        long pump = id(registry, "plant1/line1/p101/speed");
        long level = id(registry, "plant1/line2/lt201");

        List<Tag> tags = registry.tags(new long[] { level, 999_999, pump, level, -1 });

        assertThat(tags).hasSize(5);
        assertThat(tags.get(0).path()).isEqualTo("plant1/line2/lt201");
        assertThat(tags.get(1)).isNull();
        Tag speed = registry.tag("plant1/line1/p101/speed").orElseThrow();
        assertThat(tags.get(2)).isEqualTo(new Tag(speed.id(), speed.path(), speed.allocation(), speed.unit(),
                speed.description(), speed.writable(), speed.engLow(), speed.engHigh(), null));
        assertThat(speed.properties()).as("tag(path) has them").containsEntry("asset", "p101");
        assertThat(tags.get(2).properties()).as("tags(ids) leaves them out").isEmpty();
        assertThat(tags.get(3)).isEqualTo(tags.get(0));
        assertThat(tags.get(4)).isNull();
        assertThat(registry.tags(new long[0])).isEmpty();
        registry.retire();
    }

    @Test
    void manyIdsAreLookedUpAtOnceAndMatchLookupsOneByOne() {
        Path db = dir.resolve("demo.db");
        assertThat(DemoPlant.write(db, 2_000).valid()).isTrue();
        LoadedRegistry registry = RegistryLoader.load(db, 1, 2, 500).registry();
        long[] ids = LongStream.concat(LongStream.rangeClosed(1, registry.index().size() + 5).map(i -> -i + registry.index().size() + 6),
                LongStream.of(0)).toArray();
        assertThat(ids.length).isGreaterThan(2_000);

        List<Tag> tags = registry.tags(ids);

        for (int i = 0; i < ids.length; i++) {
            Tag one = registry.tag(ids[i]).orElse(null);
            assertThat(tags.get(i) == null ? null : tags.get(i).path()).as("id %d", ids[i])
                    .isEqualTo(one == null ? null : one.path());
            if (one != null) {
                assertThat(tags.get(i).allocation()).isEqualTo(one.allocation());
                assertThat(tags.get(i).engHigh()).isEqualTo(one.engHigh());
            }
        }
        assertThat(tags.stream().filter(t -> t != null).count()).isEqualTo(registry.index().size());
        registry.retire();
    }

    @Test
    void pagesFollowPathOrderWithinThePrefix() {
        LoadedRegistry registry = plant();
        List<String> all = new ArrayList<>();
        String after = null;
        List<Tag> page;
        do {
            page = registry.tags("plant1/line1/", after, 3);
            assertThat(page).hasSizeLessThanOrEqualTo(3);
            assertThat(page).allSatisfy(tag -> assertThat(tag.properties()).isEmpty());
            all.addAll(paths(page));
            after = page.isEmpty() ? after : page.get(page.size() - 1).path();
        } while (page.size() == 3);

        assertThat(all).containsExactly("plant1/line1/batch", "plant1/line1/p101/hours", "plant1/line1/p101/running",
                "plant1/line1/p101/speed", "plant1/line1/p101/start_cmd", "plant1/line1/pt101", "plant1/line1/tt101",
                "plant1/line1/tt102");
        assertThat(paths(registry.tags("plant1/line1/p101", null, 100))).as("a prefix is not a path segment")
                .containsExactly("plant1/line1/p101/hours", "plant1/line1/p101/running", "plant1/line1/p101/speed",
                        "plant1/line1/p101/start_cmd");
        assertThat(registry.tags("", null, 100)).hasSize(10);
        assertThat(registry.tags("plant2", null, 100)).isEmpty();
        assertThat(paths(registry.tags("", "plant1/line2/lsh201", 100))).containsExactly("plant1/line2/lt201");
        assertThatThrownBy(() -> registry.tags("", null, 0)).isInstanceOf(IllegalArgumentException.class);
        registry.retire();
    }

    @Test
    void aPrefixFindsPathsWithCharactersBeyondTheBasicPlane() throws Exception {
        Path db = dir.resolve("plant.db");
        assertThat(RegistryAdmin.importList(ImportTest.EXAMPLES.resolve("plant.csv"), db).valid()).isTrue();
        try (Connection writer = Sqlite.create(db); Statement statement = writer.createStatement()) {
            statement.executeUpdate("UPDATE tag SET path = 'plant1/line2/\uD83D\uDE00\uFFFF' WHERE path = 'plant1/line2/lt201'");
        }
        LoadedRegistry registry = RegistryLoader.load(db, 1, 2, 500).registry();

        assertThat(paths(registry.tags("plant1/line2/", null, 10))).containsExactly("plant1/line2/lsh201",
                "plant1/line2/\uD83D\uDE00\uFFFF");
        registry.retire();
    }

    @Test
    void tagsWithAPropertyComeInIdOrderWithEveryProperty() {
        LoadedRegistry registry = plant();

        List<Tag> reactor = registry.withProperty("asset").stream().filter(t -> "reactor1".equals(t.properties().get("asset")))
                .toList();

        assertThat(paths(reactor)).containsExactly("plant1/line1/tt101", "plant1/line1/tt102", "plant1/line1/pt101");
        assertThat(reactor).allSatisfy(tag -> assertThat(tag.properties()).containsEntry("area", "north"));
        assertThat(registry.withProperty("area")).hasSize(10).extracting(Tag::id).isSorted();
        assertThat(registry.withProperty("simulate")).isEmpty();
        registry.retire();
    }

    @Test
    void tagsWithAPropertyOneAtATimeAreTheSameAsTheList() {
        LoadedRegistry registry = plant();

        for (String key : List.of("asset", "area", "simulate")) {
            List<Tag> streamed = new ArrayList<>();
            registry.withProperty(key, streamed::add);
            assertThat(streamed).as(key).isEqualTo(registry.withProperty(key));
        }
        registry.retire();
    }

    @Test
    void aRetiredVersionAnswersNoLookup() {
        LoadedRegistry registry = plant();
        registry.retire();

        for (Runnable lookup : List.<Runnable>of(() -> registry.tags(new long[] { 1 }), () -> registry.tags("", null, 5),
                () -> registry.withProperty("area"),
                () -> registry.withProperty("area", tag -> { }), () -> registry.tag(1L), registry::leaseCopy)) {
            assertThatThrownBy(lookup::run).isInstanceOf(NexusException.class)
                    .hasMessage("this registry version has been replaced: ask again")
                    .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
        }
    }
}
