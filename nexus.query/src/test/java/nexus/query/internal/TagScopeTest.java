package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.query.Quality;
import nexus.query.TagPage;
import nexus.query.TagReading;
import nexus.query.TagWatch;

/**
 * The tag service's reads as a role limited to {@code plant/pump/**} sees them: a tag outside is
 * answered exactly like a missing one, by get, list, read, readIds and watch.
 */
class TagScopeTest {

    static final Caller ADMIN = Caller.of("root", Set.of(Access.ADMIN), "test");
    static final Caller PUMPS = Caller.of("pam", Set.of("pumps"), "test");

    static final List<String> VISIBLE = List.of("plant/pump/running", "plant/pump/speed", "plant/pump/start");

    @TempDir
    Path dir;

    private TagPlant plant;
    /** What the role "pumps" reads now; tests change it as a role configuration would. */
    private volatile Access pumps;

    @BeforeEach
    void plant() {
        plant = new TagPlant(dir);
        pumps = reading(PathScope.of("plant/pump/**"));
        plant.policy = caller -> caller.roles().contains(Access.ADMIN) ? Access.UNRESTRICTED : pumps;
    }

    @AfterEach
    void close() {
        plant.close();
    }

    static Access reading(PathScope scope) {
        return new Access(new TreeSet<>(Set.of("pumps")), EnumSet.of(Permission.READ), scope, PathScope.NONE, 0, 0);
    }

    @Test
    void getAnswersATagOutsideExactlyLikeAMissingOne() {
        NexusException outside = catchThrowableOfType(NexusException.class, () -> plant.tags.get(PUMPS, "plant/tank/level"));
        NexusException missing = catchThrowableOfType(NexusException.class, () -> plant.tags.get(PUMPS, "plant/tank/nosuch"));

        assertThat(outside.code()).isEqualTo(ErrorCode.TAG_NOT_FOUND);
        assertThat(outside).hasMessage("no tag has the path plant/tank/level");
        assertThat(outside.getMessage()).isEqualTo(missing.getMessage().replace("nosuch", "level"));
        assertThat(plant.tags.get(PUMPS, "plant/pump/speed").tag().path()).isEqualTo("plant/pump/speed");
        assertThat(plant.tags.get(ADMIN, "plant/tank/level").tag().path()).isEqualTo("plant/tank/level");
    }

    @Test
    void listingsHoldOnlyVisibleTagsInFullPagesWithCursorsThatLeadOn() {
        TagPage first = plant.tags.list(PUMPS, "", null, 2);
        TagPage second = plant.tags.list(PUMPS, "", first.cursor(), 2);

        assertThat(paths(first.items())).containsExactly("plant/pump/running", "plant/pump/speed");
        assertThat(first.cursor()).isNotNull();
        assertThat(paths(second.items())).containsExactly("plant/pump/start");
        assertThat(second.cursor()).as("nothing visible follows").isNull();
        assertThat(paths(plant.tags.list(PUMPS, "plant/", null, 10).items())).containsExactlyElementsOf(VISIBLE);
        assertThat(plant.tags.list(PUMPS, "utility", null, 10).items()).isEmpty();
        assertThat(plant.tags.list(ADMIN, "", null, 10).items()).hasSize(7);
    }

    @Test
    void aPageIsFilledPastLongStretchesOfTagsTheCallerDoesNotSee() {
        StringBuilder list = new StringBuilder("# bank process 4096\npath,type,bank\n");
        for (int i = 0; i < 1_500; i++) {
            list.append(String.format("a/hidden/t%04d,INT16,process%n", i));
        }
        list.append("a/seen/one,INT16,process\nb/hidden/x,INT16,process\nc/seen/two,INT16,process\nc/seen/three,INT16,process\n");
        try (TagPlant big = new TagPlant(dir.resolve("big"), list.toString(), Admission.defaults(5_000))) {
            big.policy = caller -> reading(PathScope.of("*/seen/**"));

            TagPage first = big.tags.list(PUMPS, "", null, 2);
            TagPage second = big.tags.list(PUMPS, "", first.cursor(), 2);

            assertThat(paths(first.items())).containsExactly("a/seen/one", "c/seen/three");
            assertThat(paths(second.items())).containsExactly("c/seen/two");
            assertThat(second.cursor()).isNull();
        }
    }

    @Test
    void aScopedListingReadsOnlyTheRegistryUnderItsGlobs() {
        PathScope scope = PathScope.of("site2/a", "site1/area2/**", "site1/area2/line3/**", "site1/line*/x", "site1/area?/y");

        assertThat(TagReads.ranges(scope, "")).containsExactly("site1/area", "site1/line", "site2/a");
        assertThat(TagReads.ranges(scope, "site1/area2/line")).containsExactly("site1/area2/line");
        assertThat(TagReads.ranges(scope, "site3")).isEmpty();
        assertThat(TagReads.ranges(PathScope.of("site1/**", "**/pump"), "site1/")).containsExactly("site1/");
        assertThat(TagReads.ranges(PathScope.of("site1/\uD83D\uDE00/**", "site1/\uFF21/**"), ""))
                .as("the registry's order (UTF-8 bytes), not String's (UTF-16)")
                .containsExactly("site1/\uFF21", "site1/\uD83D\uDE00");
    }

    @Test
    void readsAnswerTagsOutsideAsNotInTheRegistry() {
        plant.plc("plant/pump/speed", 900L);
        plant.plc("plant/tank/level", 55.0);

        List<TagReading> byPath = plant.tags.read(PUMPS, List.of("plant/pump/speed", "plant/tank/level", "plant/nosuch"));
        List<TagReading> byId = plant.tags.readIds(PUMPS, new long[] { plant.tag("plant/pump/speed").id(),
                plant.tag("plant/tank/level").id(), 99_999 });

        assertThat(byPath.get(0).value().value()).isEqualTo(900L);
        assertThat(byPath.get(1)).isEqualTo(TagReading.notInRegistry("plant/tank/level"));
        assertThat(byPath.get(2)).isEqualTo(TagReading.notInRegistry("plant/nosuch"));
        assertThat(byId.get(0).tag().path()).isEqualTo("plant/pump/speed");
        assertThat(byId.get(1)).as("as an id no tag has").isEqualTo(TagReading.notInRegistry(null)).isEqualTo(byId.get(2));
        assertThat(plant.tags.read(ADMIN, List.of("plant/tank/level")).get(0).value().value()).isEqualTo(55.0f);
    }

    @Test
    void aWatchFollowsTheCallersViewAsItChanges() {
        plant.plc("plant/tank/level", 20.0);
        TagWatch watch = plant.tags.watch(PUMPS, List.of("plant/pump/running", "plant/tank/level"));

        List<TagReading> first = watch.poll();
        assertThat(first.get(0).value().quality()).isEqualTo(Quality.GOOD);
        assertThat(first.get(1)).isEqualTo(TagReading.notInRegistry("plant/tank/level"));

        plant.plc("plant/tank/level", 30.0);
        assertThat(watch.poll()).as("a change outside is not seen").isEmpty();

        pumps = reading(PathScope.of("plant/**"));
        List<TagReading> widened = watch.poll();
        assertThat(widened).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("plant/tank/level");
            assertThat(r.value().value()).isEqualTo(30.0f);
        });

        pumps = reading(PathScope.of("plant/pump/**"));
        List<TagReading> narrowed = watch.poll();
        assertThat(narrowed).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("plant/tank/level");
            assertThat(r.value().quality()).isEqualTo(Quality.BAD_NOT_IN_REGISTRY);
        });
        plant.plc("plant/tank/level", 40.0);
        assertThat(watch.poll()).isEmpty();
    }

    @Test
    void aCallerWithoutReadSeesNoTag() {
        pumps = new Access(new TreeSet<>(Set.of("pumps")), EnumSet.of(Permission.WRITE), PathScope.ALL, PathScope.ALL, 0, 0);

        assertNothingVisible();
    }

    @Test
    void aFailingPolicySeesNoTag() {
        plant.policy = caller -> {
            throw new IllegalStateException("roles file unreadable");
        };

        assertNothingVisible();
    }

    private void assertNothingVisible() {
        NexusException e = catchThrowableOfType(NexusException.class, () -> plant.tags.get(PUMPS, "plant/pump/speed"));
        assertThat(e.code()).isEqualTo(ErrorCode.TAG_NOT_FOUND);
        assertThat(plant.tags.list(PUMPS, "", null, 10).items()).isEmpty();
        assertThat(plant.tags.read(PUMPS, VISIBLE)).allSatisfy(r -> assertThat(r.tag()).isNull());
        assertThat(plant.tags.readIds(PUMPS, new long[] { plant.tag("plant/pump/speed").id() }))
                .containsExactly(TagReading.notInRegistry(null));
        assertThat(plant.tags.watch(PUMPS, VISIBLE).poll()).allSatisfy(r -> assertThat(r.tag()).isNull());
    }

    private static List<String> paths(List<TagReading> readings) {
        List<String> paths = new ArrayList<>();
        readings.forEach(r -> paths.add(r.path()));
        return paths;
    }
}
