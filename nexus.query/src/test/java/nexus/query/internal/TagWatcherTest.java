package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.Quality;
import nexus.query.TagReading;
import nexus.query.TagWatch;
import nexus.rma.Bank;
import nexus.rma.internal.RmaBackends;

/** Change detection by bank sequence, on the heap backend. */
class TagWatcherTest {

    private static final List<String> WATCHED = List.of("plant/tank/level", "utility/flow", "plant/pump/running");

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

    private static List<String> paths(List<TagReading> readings) {
        return readings.stream().map(r -> r.tag().path()).toList();
    }

    @Test
    void theFirstPollAnswersEveryTagInOrderAndThenOnlyChanges() {
        plant.plc("plant/tank/level", 10.0);
        TagWatch watch = plant.tags.watch(TagPlant.READER, WATCHED);

        List<TagReading> first = watch.poll();
        assertThat(paths(first)).containsExactlyElementsOf(WATCHED);
        assertThat(first.get(0).value().value()).isEqualTo(10.0f);
        assertThat(first).allSatisfy(r -> assertThat(r.value().quality()).isEqualTo(Quality.GOOD));
        assertThat(watch.poll()).as("nothing changed").isEmpty();

        plant.plc("plant/pump/running", true);
        plant.plc("utility/flow", 2.5);
        List<TagReading> changed = watch.poll();
        assertThat(paths(changed)).containsExactly("utility/flow", "plant/pump/running");
        assertThat(changed.get(1).value().value()).isEqualTo(true);
        assertThat(watch.registryVersion()).isEqualTo(1);
    }

    @Test
    void aBankWhoseSequenceDidNotMoveIsNotRead() {
        TagWatch watch = plant.tags.watch(TagPlant.READER, WATCHED);
        watch.poll();
        int process = plant.rma.reads(0);
        int utility = plant.rma.reads(1);

        assertThat(watch.poll()).isEmpty();
        assertThat(plant.rma.reads(0)).isEqualTo(process);
        assertThat(plant.rma.reads(1)).isEqualTo(utility);

        plant.plc("utility/flow", 9.0);
        assertThat(paths(watch.poll())).containsExactly("utility/flow");
        assertThat(plant.rma.reads(0)).as("process did not move").isEqualTo(process);
        assertThat(plant.rma.reads(1)).isEqualTo(utility + 1);
    }

    @Test
    void aWriteToAnotherTagOfTheBankReadsItButAnswersNothing() {
        TagWatch watch = plant.tags.watch(TagPlant.READER, List.of("plant/tank/level"));
        watch.poll();
        int reads = plant.rma.reads(0);

        plant.plc("plant/pump/speed", 1_000L);

        assertThat(watch.poll()).isEmpty();
        assertThat(plant.rma.reads(0)).isEqualTo(reads + 1);
        plant.plc("plant/tank/level", 10.0);
        plant.plc("plant/tank/level", 0.0);
        assertThat(watch.poll()).as("written, but back to the value answered").isEmpty();
    }

    @Test
    void aTagThatLeavesTheRegistryIsAnsweredOnceAndAgainWhenItReturns() {
        TagWatch watch = plant.tags.watch(TagPlant.READER, WATCHED);
        watch.poll();
        plant.current = new DelegatingRegistry(TagPlant.open(dir, "v2", TagPlant.LIST.replace("utility/flow,", "utility/flow2,")), 2);

        List<TagReading> gone = watch.poll();

        assertThat(paths(gone)).containsExactly("utility/flow");
        assertThat(gone.get(0).value().quality()).isEqualTo(Quality.BAD_NOT_IN_REGISTRY);
        assertThat(gone.get(0).value().value()).isNull();
        assertThat(watch.registryVersion()).isEqualTo(2);
        assertThat(watch.poll()).isEmpty();
        plant.plc("plant/tank/level", 5.0);
        assertThat(paths(watch.poll())).containsExactly("plant/tank/level");

        plant.current = new DelegatingRegistry(plant.opened, 3);
        List<TagReading> back = watch.poll();
        assertThat(paths(back)).containsExactly("utility/flow");
        assertThat(back.get(0).value().quality()).isEqualTo(Quality.GOOD);
        assertThat(watch.registryVersion()).isEqualTo(3);
    }

    @Test
    void aTagThatMovesInANewVersionIsReadAtItsNewAddress() {
        TagWatch watch = plant.tags.watch(TagPlant.READER, List.of("plant/batch"));
        plant.plc("plant/batch", "lot-1");
        watch.poll();
        // the batch moves to the end of the bank: another address, another value
        nexus.registry.Registry moved = TagPlant.open(dir, "moved", TagPlant.LIST.replace(
                "plant/batch,STRING(8),process,,", "plant/batch,STRING(8),process,512,"));
        plant.current = new DelegatingRegistry(moved, 2);

        List<TagReading> changed = watch.poll();

        assertThat(changed).hasSize(1);
        assertThat(changed.get(0).tag().byteOffset()).isEqualTo(512);
        assertThat(changed.get(0).value().value()).isEqualTo("");
    }

    @Test
    void withoutABackendEachTagIsAnsweredOnceAsBadAndAgainWhenOneComes() {
        TagWatch watch = plant.tags.watch(TagPlant.READER, WATCHED);
        watch.poll();
        plant.backend = null;

        List<TagReading> bad = watch.poll();
        assertThat(paths(bad)).containsExactlyElementsOf(WATCHED);
        assertThat(bad).allSatisfy(r -> assertThat(r.value().quality()).isEqualTo(Quality.BAD_NO_BACKEND));
        assertThat(watch.poll()).isEmpty();

        plant.backend = plant.rma;
        assertThat(paths(watch.poll())).containsExactlyElementsOf(WATCHED);
    }

    @Test
    void aBankTheBackendLacksIsReadAgainAtEveryPollButAnsweredOnce() {
        CountingBackend small = new CountingBackend(RmaBackends.heap(List.of(new Bank(0, "process", 1024))));
        plant.backend = small;
        TagWatch watch = plant.tags.watch(TagPlant.READER, WATCHED);

        List<TagReading> first = watch.poll();
        assertThat(first.get(1).value().quality()).isEqualTo(Quality.BAD_UNKNOWN_BANK);
        int reads = small.reads(1);

        assertThat(watch.poll()).isEmpty();
        assertThat(small.reads(1)).as("not GOOD: read again").isEqualTo(reads + 1);
    }

    @Test
    void unknownPathsAreAnsweredOnceAndAClosedWatchRefusesToPoll() {
        TagWatch unknown = plant.tags.watch(TagPlant.READER, List.of("plant/tank/level", "plant/x", "plant/y"));
        List<TagReading> first = unknown.poll();
        assertThat(first).extracting(TagReading::path).containsExactly("plant/tank/level", "plant/x", "plant/y");
        assertThat(first).extracting(r -> r.value().quality()).containsExactly(Quality.GOOD, Quality.BAD_NOT_IN_REGISTRY,
                Quality.BAD_NOT_IN_REGISTRY);
        assertThat(unknown.poll()).as("answered once").isEmpty();
        TagWatch watch = plant.tags.watch(TagPlant.READER, WATCHED);
        watch.close();

        assertThatThrownBy(watch::poll).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
