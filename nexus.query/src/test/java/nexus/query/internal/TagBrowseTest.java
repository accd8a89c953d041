package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
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
import nexus.query.TagFolder;

/** {@link nexus.query.TagService#browse}: one level of the namespace, counted over every tag the caller reads. */
class TagBrowseTest {

    static final String LIST = """
            # bank process 1024
            path,type,bank,byte_offset,bit_offset,unit,description,writable,eng_low,eng_high
            plant/tank/level,FLOAT32,process,,,%,Tank level,1,0,100
            plant/tank/level/raw,INT16,process,,,,Raw counts,0,,
            plant/tank/temperature,FLOAT32,process,,,degC,Tank temperature,0,-20,150
            plant/pump/speed,INT16,process,,,rpm,Pump speed,1,0,3000
            plant/pump0,BOOL,process,,,,Not under plant/pump,0,,
            plant/pumpe/x,BOOL,process,,,,Not under plant/pump either,0,,
            plant/größe/ä,BOOL,process,,,,Multi-byte segment,0,,
            plant/größe/b,BOOL,process,,,,Multi-byte segment,0,,
            utility/flow,FLOAT64,process,,,m3/h,Flow,1,,
            """;
    static final Caller ADMIN = Caller.of("root", Set.of(Access.ADMIN), "test");
    static final Caller TANKS = Caller.of("tina", Set.of("tanks"), "test");

    @TempDir
    Path dir;
    private TagPlant plant;

    @BeforeEach
    void plant() {
        plant = new TagPlant(dir, LIST, Admission.defaults(Limits.DEFAULT.timeoutMillis()));
        Access tanks = new Access(new TreeSet<>(Set.of("tanks")), EnumSet.of(Permission.READ), PathScope.of("plant/tank/**"),
                PathScope.NONE, 0, 0);
        plant.policy = caller -> caller.roles().contains(Access.ADMIN) ? Access.UNRESTRICTED : tanks;
    }

    @AfterEach
    void close() {
        plant.close();
    }

    @Test
    void theRootsCountEveryTagUnderThem() {
        TagFolder roots = plant.tags.browse(ADMIN, "", 100);
        assertThat(roots.prefix()).isEmpty();
        assertThat(roots.children()).containsExactly(new TagFolder.Child("plant", "plant", 8, false),
                new TagFolder.Child("utility", "utility", 1, false));
        assertThat(roots.complete()).isTrue();
        assertThat(roots.registryVersion()).isEqualTo(plant.current.version());
    }

    @Test
    void aFolderListsItsNextSegmentsAndWhichAreTagsThemselves() {
        TagFolder plantFolder = plant.tags.browse(ADMIN, "plant", 100);
        assertThat(plantFolder.children()).extracting(TagFolder.Child::name)
                .containsExactly("größe", "pump", "pump0", "pumpe", "tank");
        assertThat(plantFolder.children()).filteredOn(c -> c.name().equals("pump0")).singleElement()
                .isEqualTo(new TagFolder.Child("pump0", "plant/pump0", 1, true));
        TagFolder tank = plant.tags.browse(ADMIN, "plant/tank/", 100);
        assertThat(tank.prefix()).isEqualTo("plant/tank");
        assertThat(tank.children()).containsExactly(new TagFolder.Child("level", "plant/tank/level", 2, true),
                new TagFolder.Child("temperature", "plant/tank/temperature", 1, true));
        assertThat(plant.tags.browse(ADMIN, "plant/pump", 100).children())
                .as("plant/pump0 and plant/pumpe/x are not under plant/pump")
                .containsExactly(new TagFolder.Child("speed", "plant/pump/speed", 1, true));
    }

    @Test
    void segmentsAfterMultiByteCharactersAreCutAtTheRightPlace() {
        assertThat(plant.tags.browse(ADMIN, "plant/größe", 100).children()).extracting(TagFolder.Child::path)
                .containsExactly("plant/größe/b", "plant/größe/ä");
    }

    @Test
    void aScopedCallerCountsOnlyWhatItReads() {
        assertThat(plant.tags.browse(TANKS, "", 100).children())
                .containsExactly(new TagFolder.Child("plant", "plant", 3, false));
        assertThat(plant.tags.browse(TANKS, "plant", 100).children()).extracting(TagFolder.Child::name).containsExactly("tank");
        assertThat(plant.tags.browse(TANKS, "utility", 100).children()).isEmpty();
    }

    @Test
    void moreChildrenThanTheLimitAreCutAndSaidSo() {
        TagFolder cut = plant.tags.browse(ADMIN, "plant", 2);
        assertThat(cut.children()).extracting(TagFolder.Child::name).containsExactly("größe", "pump");
        assertThat(cut.complete()).isFalse();
    }

    @Test
    void aPrefixThatIsNoPathOrABadLimitIsRefusedNamingWhy() {
        for (String bad : List.of("/plant", "plant//tank", "plant/../utility", "a\u0000b")) {
            NexusException e = catchThrowableOfType(NexusException.class, () -> plant.tags.browse(ADMIN, bad, 10));
            assertThat(e.code()).as(bad).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("prefix");
        }
        assertThat(catchThrowableOfType(NexusException.class, () -> plant.tags.browse(ADMIN, "plant", 0)).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(plant.tags.browse(ADMIN, "plant/%", 10).children()).as("% is a character, not a pattern").isEmpty();
        assertThat(plant.tags.browse(ADMIN, "nowhere", 10).children()).isEmpty();
    }
}
