package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.Quality;
import nexus.query.TagInfo;
import nexus.query.TagPage;
import nexus.query.TagReading;

/** Looking tags up, listing them page by page, and reading many: metadata and live values. */
class TagReadsTest {

    @TempDir
    Path dir;

    private TagPlant plant;

    @BeforeEach
    void plant() {
        plant = new TagPlant(dir);
    }

    @AfterEach
    void close() {
        plant.close();
    }

    private static void assertRefused(Runnable call, ErrorCode code, String message) {
        assertThatThrownBy(call::run).isInstanceOf(NexusException.class).hasMessage(message)
                .extracting(e -> ((NexusException) e).code()).isEqualTo(code);
    }

    @Test
    void aTagComesWithItsMetadataPropertiesAndValue() {
        plant.plc("plant/pump/speed", 1_450L);

        TagReading speed = plant.tags.get(TagPlant.READER, "plant/pump/speed");

        TagInfo tag = speed.tag();
        assertThat(tag.id()).isEqualTo(plant.tag("plant/pump/speed").id());
        assertThat(tag.path()).isEqualTo("plant/pump/speed");
        assertThat(tag.type()).isEqualTo("INT16");
        assertThat(tag.bank()).isEqualTo("process");
        assertThat(tag.byteOffset()).isEqualTo(plant.tag("plant/pump/speed").allocation().byteOffset());
        assertThat(tag.length()).isEqualTo(2);
        assertThat(tag.unit()).isEqualTo("rpm");
        assertThat(tag.writable()).isTrue();
        assertThat(tag.engLow()).isEqualTo(0.0);
        assertThat(tag.engHigh()).isEqualTo(3000.0);
        assertThat(tag.properties()).containsEntry("area", "north");
        assertThat(speed.value().value()).isEqualTo(1_450L);
        assertThat(speed.value().quality()).isEqualTo(Quality.GOOD);
        assertThat(plant.tags.get(TagPlant.READER, "utility/flow").tag().bank()).isEqualTo("utility");
    }

    @Test
    void anUnknownPathIsNotFound() {
        assertRefused(() -> plant.tags.get(TagPlant.READER, "plant/nope"), ErrorCode.TAG_NOT_FOUND, "no tag has the path plant/nope");
    }

    @Test
    void withoutABackendValuesSayWhyAndMetadataStillComes() {
        plant.backend = null;

        TagReading level = plant.tags.get(TagPlant.READER, "plant/tank/level");

        assertThat(level.tag().unit()).isEqualTo("%");
        assertThat(level.value().quality()).isEqualTo(Quality.BAD_NO_BACKEND);
        assertThat(plant.tags.read(TagPlant.READER, List.of("plant/tank/level", "utility/flow")))
                .allSatisfy(r -> assertThat(r.value().quality()).isEqualTo(Quality.BAD_NO_BACKEND));
    }

    @Test
    void withoutARegistryReadsAreUnavailable() {
        plant.registryRunning = false;

        assertRefused(() -> plant.tags.get(TagPlant.READER, "plant/tank/level"), ErrorCode.BACKEND_UNAVAILABLE,
                "the registry service is not running: see GET /health");
        assertRefused(() -> plant.tags.list(TagPlant.READER, "", null, 5), ErrorCode.BACKEND_UNAVAILABLE,
                "the registry service is not running: see GET /health");
    }

    @Test
    void manyTagsByPathComeInOrderWithOneReadPerBlock() {
        plant.plc("plant/tank/level", 42.0);
        plant.plc("utility/flow", 3.25);
        int before = plant.rma.reads(0) + plant.rma.reads(1);

        List<TagReading> read = plant.tags.read(TagPlant.READER, List.of("utility/flow", "plant/tank/level", "plant/tank/temperature",
                "plant/tank/level"));

        assertThat(read).extracting(r -> r.tag().path()).containsExactly("utility/flow", "plant/tank/level",
                "plant/tank/temperature", "plant/tank/level");
        assertThat(read).extracting(r -> r.value().value()).containsExactly(3.25, 42.0f, 0.0f, 42.0f);
        assertThat(read).allSatisfy(r -> assertThat(r.tag().properties()).as("as in a listing").isEmpty());
        assertThat(plant.rma.reads(0) + plant.rma.reads(1) - before).as("one merged block per bank").isEqualTo(2);
        List<TagReading> mixed = plant.tags.read(TagPlant.READER, List.of("plant/tank/level", "plant/a", "plant/b"));
        assertThat(mixed).as("a bulk read answers unknown paths per item").extracting(TagReading::path)
                .containsExactly("plant/tank/level", "plant/a", "plant/b");
        assertThat(mixed).extracting(r -> r.value().quality()).containsExactly(Quality.GOOD, Quality.BAD_NOT_IN_REGISTRY,
                Quality.BAD_NOT_IN_REGISTRY);
        assertThat(mixed.get(1).tag()).isNull();
        assertThat(mixed.get(1).value().value()).isNull();
    }

    @Test
    void manyTagsByIdComeInOrderAndUnknownIdsAreAnsweredPerItem() {
        long level = plant.tag("plant/tank/level").id();
        long flow = plant.tag("utility/flow").id();
        plant.plc("utility/flow", 7.5);

        List<TagReading> read = plant.tags.readIds(TagPlant.READER, new long[] { flow, level });

        assertThat(read).extracting(r -> r.tag().path()).containsExactly("utility/flow", "plant/tank/level");
        assertThat(read.get(0).value().value()).isEqualTo(7.5);
        assertThat(read).allSatisfy(r -> assertThat(r.tag().properties()).as("as in a listing").isEmpty());
        List<TagReading> mixed = plant.tags.readIds(TagPlant.READER, new long[] { level, 999, -5 });
        assertThat(mixed).extracting(r -> r.value().quality()).containsExactly(Quality.GOOD, Quality.BAD_NOT_IN_REGISTRY,
                Quality.BAD_NOT_IN_REGISTRY);
        assertThat(mixed.get(1).path()).isNull();
        assertThat(mixed.get(2).tag()).isNull();
        assertThat(plant.tags.readIds(TagPlant.READER, new long[0])).isEmpty();
    }

    @Test
    void aListingIsPagedInPathOrderWithinItsPrefix() {
        plant.plc("plant/pump/speed", 900L);
        List<String> paths = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            TagPage page = plant.tags.list(TagPlant.READER, "plant/", cursor, 2);
            assertThat(page.items()).hasSizeBetween(1, 2);
            page.items().forEach(item -> assertThat(item.tag().properties()).as("a listing leaves properties out").isEmpty());
            page.items().stream().filter(item -> item.tag().path().equals("plant/pump/speed"))
                    .forEach(item -> assertThat(item.value().value()).isEqualTo(900L));
            page.items().forEach(item -> paths.add(item.tag().path()));
            cursor = page.cursor();
            pages++;
        } while (cursor != null);

        assertThat(paths).containsExactly("plant/batch", "plant/pump/running", "plant/pump/speed", "plant/pump/start",
                "plant/tank/level", "plant/tank/temperature");
        assertThat(pages).isEqualTo(3);
        TagPage all = plant.tags.list(TagPlant.READER, "", null, 100);
        assertThat(all.items()).hasSize(7);
        assertThat(all.cursor()).isNull();
        assertThat(all.registryVersion()).as("the version listed from").isEqualTo(plant.registry().current().version());
        assertThat(plant.tags.list(TagPlant.READER, "nothing/", null, 10).items()).isEmpty();
    }

    @Test
    void aCursorContinuesInANewRegistryVersionByPath() {
        TagPage first = plant.tags.list(TagPlant.READER, "plant/", null, 3);
        plant.current = TagPlant.open(dir, "next", TagPlant.LIST.replace("plant/pump/start,", "plant/pump/stop,"));

        TagPage second = plant.tags.list(TagPlant.READER, "plant/", first.cursor(), 3);

        assertThat(second.items()).extracting(r -> r.tag().path()).containsExactly("plant/pump/stop", "plant/tank/level",
                "plant/tank/temperature");
    }

    @Test
    void aLimitBelowOneOrACursorNotGivenForThisPrefixIsRefused() {
        String cursor = plant.tags.list(TagPlant.READER, "plant/", null, 2).cursor();
        String garbage = "the cursor is not one this service gave out (it is damaged, cut short or made up): pass the"
                + " cursor of the page before exactly as it came, or start again without a cursor";

        assertRefused(() -> plant.tags.list(TagPlant.READER, "plant/", null, 0), ErrorCode.INVALID_ARGUMENT,
                "limit is 0: a page holds at least 1 tag");
        assertRefused(() -> plant.tags.list(TagPlant.READER, "utility/", cursor, 2), ErrorCode.INVALID_ARGUMENT,
                "the cursor was given out for another prefix, not 'utility/': list with the prefix it came with, or start"
                        + " again without a cursor");
        char last = cursor.charAt(cursor.length() - 3);
        String tampered = cursor.substring(0, cursor.length() - 3) + (last == 'A' ? 'B' : 'A') + cursor.substring(cursor.length() - 2);
        assertRefused(() -> plant.tags.list(TagPlant.READER, "plant/", tampered, 2), ErrorCode.INVALID_ARGUMENT, garbage);
        assertRefused(() -> plant.tags.list(TagPlant.READER, "plant/", "not a cursor!", 2), ErrorCode.INVALID_ARGUMENT, garbage);
        assertRefused(() -> plant.tags.list(TagPlant.READER, "plant/", cursor.substring(0, 6), 2), ErrorCode.INVALID_ARGUMENT, garbage);
        assertRefused(() -> plant.tags.list(TagPlant.READER, "plant/", "", 2), ErrorCode.INVALID_ARGUMENT, garbage);
        assertThat(plant.tags.list(TagPlant.READER, "plant/", cursor, 2).items()).as("the real one still works").hasSize(2);
    }

    @Test
    void listingsAndReadsOfManyTakeASlotOfTheQueriesAdmissionControlAndASingleTagKeepsFlowing() {
        plant.close();
        plant = new TagPlant(dir.resolve("busy"), TagPlant.LIST, new Admission(2, 0, 0, 60_000, 1, 2));
        java.util.List<Admission.Ticket> held = List.of(plant.engine.admit(), plant.engine.admit());

        assertThat(plant.tags.get(TagPlant.READER, "plant/tank/level").value().quality()).as("one tag while every slot is held")
                .isEqualTo(Quality.GOOD);
        for (Runnable read : List.<Runnable>of(() -> plant.tags.list(TagPlant.READER, "", null, 5),
                () -> plant.tags.read(TagPlant.READER, List.of("plant/tank/level")), () -> plant.tags.readIds(TagPlant.READER, new long[] { 1 }))) {
            assertThatThrownBy(read::run).isInstanceOf(NexusException.class)
                    .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.OVERLOADED);
        }
        held.forEach(Admission.Ticket::close);
        assertThat(plant.tags.get(TagPlant.READER, "plant/tank/level").value().quality()).isEqualTo(Quality.GOOD);
        assertThat(plant.engine.admission().running()).isZero();
    }

    @Test
    void aTagNamesItsBankByIdWhateverTheBanksAreNumbered() {
        nexus.registry.Registry renumbered = new DelegatingRegistry(plant.opened, 1) {
            @Override
            public List<nexus.rma.Bank> banks() {
                return List.of(new nexus.rma.Bank(2, "two", 64), new nexus.rma.Bank(5, "five", 64));
            }
        };
        nexus.registry.Tag tag = new nexus.registry.Tag(9, "x/y", nexus.rma.Allocation.of(5, 0, nexus.rma.RmaType.UINT8),
                null, null, false, null, null, null);

        assertThat(TagReads.info(renumbered, tag).bank()).isEqualTo("five");
        assertThat(TagReads.info(renumbered, new nexus.registry.Tag(9, "x/y", nexus.rma.Allocation.of(1, 0,
                nexus.rma.RmaType.UINT8), null, null, false, null, null, null)).bank()).as("no bank has the id").isEqualTo("1");
    }
}
