package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.AuditRecord;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.TagWrite;
import nexus.query.WriteResult;

/**
 * The rule of a tag path is the tag service's: every way a path comes in (get, read, watch, a write,
 * each write of a batch) refuses a malformed one alike, so no front-end answers it differently.
 */
class TagPathsTest {

    private static final Caller ALICE = Caller.of("alice", "http 127.0.0.1");
    private static final List<String> MALFORMED = List.of("", "plant/tank/", "plant//tank/level", "a//b");

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

    private static String message(String path) {
        return "'" + path + "' is not a tag path: segments separated by single slashes, e.g. plant1/line2/tt101";
    }

    private static void assertNoTagPath(ThrowingCallable call, String path) {
        NexusException e = catchThrowableOfType(call, NexusException.class);
        assertThat(e).as("refused: '%s'", path).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).isEqualTo(message(path));
    }

    @Test
    void everyReadRefusesAPathThatIsNoTagPath() {
        for (String path : MALFORMED) {
            assertNoTagPath(() -> plant.tags.get(TagPlant.READER, path), path);
            assertNoTagPath(() -> plant.tags.read(TagPlant.READER, List.of("plant/tank/level", path)), path);
            assertNoTagPath(() -> plant.tags.watch(TagPlant.READER, List.of(path, "plant/tank/level")), path);
        }
        assertThat(plant.tags.get(TagPlant.READER, "plant/tank/level").tag().path()).as("a well-formed path still reads")
                .isEqualTo("plant/tank/level");
    }

    @Test
    void aSingleWriteAndABatchItemAreRefusedAlikeAndAudited() {
        for (String path : MALFORMED) {
            assertNoTagPath(() -> plant.tags.write(ALICE, new TagWrite(path, 1L)), path);
            AuditRecord record = plant.trail.records.get(plant.trail.records.size() - 1);
            assertThat(record.refused()).isTrue();
            assertThat(record.name()).isEqualTo(path);
            assertThat(record.result()).isEqualTo("INVALID_ARGUMENT");
        }

        int written = plant.rma.writes.get();
        List<WriteResult> batch = plant.tags.write(ALICE,
                List.of(new TagWrite("plant/tank/level", 40L), new TagWrite("a//b", 1L), new TagWrite("plant/tank/", 1L)));

        assertThat(batch.get(0).ok()).isTrue();
        for (WriteResult refused : batch.subList(1, 3)) {
            assertThat(refused.ok()).isFalse();
            assertThat(refused.error().code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(refused.error().getMessage()).isEqualTo(message(refused.path()));
        }
        assertThat(plant.rma.writes.get() - written).as("only the well-formed write reached RMA").isEqualTo(1);
    }
}
