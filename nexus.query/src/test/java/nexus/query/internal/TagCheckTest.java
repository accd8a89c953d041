package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.TagWrite;

/** {@link nexus.query.TagService#check}: a write's refusals without the write, and without an audit record. */
class TagCheckTest {

    @TempDir
    Path dir;
    private TagPlant plant;

    @BeforeEach
    void plant() {
        plant = new TagPlant(dir);
        plant.plc("plant/tank/level", 12.5);
    }

    @AfterEach
    void close() {
        plant.close();
    }

    @Test
    void aWriteTheTagTakesIsAnsweredAsItWouldBeMadeAndNothingIsWrittenOrAudited() {
        TagWrite checked = plant.tags.check(TagPlant.READER, new TagWrite("plant/pump/speed", 1200.0));
        assertThat(checked.value()).as("an integer type holds a whole number").isEqualTo(1200L);
        assertThat(plant.tags.check(TagPlant.READER, new TagWrite("plant/tank/level", 50)).value()).isEqualTo(50.0f);
        assertThat(plant.value("plant/tank/level")).isEqualTo(12.5f);
        assertThat(plant.trail.records).isEmpty();
    }

    @Test
    void theRefusalsAreTheWritesOwn() {
        assertThat(refusal("plant/tank/level", 500).code()).as("outside 0..100").isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal("plant/tank/level", "abc").code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refusal("plant/tank/temperature", 20).code()).as("read-only").isEqualTo(ErrorCode.NOT_WRITABLE);
        assertThat(refusal("plant/nosuch", 1).code()).isEqualTo(ErrorCode.TAG_NOT_FOUND);
        assertThat(plant.trail.records).as("a check is no attempt: nothing to audit").isEmpty();
    }

    private NexusException refusal(String path, Object value) {
        return catchThrowableOfType(NexusException.class, () -> plant.tags.check(TagPlant.READER, new TagWrite(path, value)));
    }
}
