package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.AuditRecord;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.Quality;
import nexus.query.TagReading;
import nexus.query.TagWrite;
import nexus.registry.Contribution;
import nexus.registry.Contribution.ContributedBank;
import nexus.registry.RemoteWriter;
import nexus.registry.Tag;
import nexus.registry.internal.RegistryFiles;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;
import nexus.rma.internal.RmaBackends;

/**
 * Writes to contributed tags whose bank has a remote writer (a federation host's mirror): the same
 * checks and audit record as any write, then the writer carries it out instead of the memory; its
 * refusal or unknown outcome is the answer and is audited as a failure.
 */
class RemoteTagWritesTest {

    private static final Caller ALICE = Caller.of("alice", "http 127.0.0.1");
    private static final String LEVEL = "sites/plant/edge1/level";
    private static final String STATE = "sites/plant/edge1/state";

    @TempDir
    Path dir;

    private TagPlant plant;
    private RegistryFiles.Opened contributed;
    /** The mirror's memory: the fake node's answers land here, as the Sparkplug host's do. */
    private final RmaBackend mirror = RmaBackends.heap(List.of(new Bank(0, "sp-1", 64)));
    private final List<Object[]> sent = new ArrayList<>();
    /** What the fake node does with the next write: null answers it, else it is thrown. */
    private volatile NexusException answer;

    /** The owning node, faked: it records the write, and when it accepts it, the mirror holds the value (doubled, as a node might scale it). */
    private final RemoteWriter node = (caller, tag, value) -> {
        sent.add(new Object[] {caller, tag.path(), value});
        if (answer != null) {
            throw answer;
        }
        Object held = value instanceof Double d ? d * 2 : value;
        mirror.write(Allocation.of(0, 0, RmaType.FLOAT64), held);
        return held;
    };

    @BeforeEach
    void plant() {
        plant = new TagPlant(dir);
        Contribution contribution = new Contribution("sparkplug", List.of(new ContributedBank("sp-1", 64,
                "sparkplug plant/edge1", mirror, 0, node)), List.of(
                        new Tag(0, LEVEL, Allocation.of(0, 0, RmaType.FLOAT64), "%", "level", true, 0.0, 100.0, Map.of()),
                        new Tag(0, STATE, Allocation.of(0, 8, RmaType.INT32), null, "state", false, null, null, Map.of())));
        contributed = RegistryFiles.open(dir.resolve("registry.db"), dir.resolve("copies"), 2, List.of(contribution));
        plant.current = contributed;
    }

    @AfterEach
    void close() {
        contributed.close();
        plant.close();
    }

    private TagReading write(String path, Object value) {
        return plant.tags.write(ALICE, new TagWrite(path, value));
    }

    @Test
    void aWriteToARemotelyWrittenTagGoesToItsWriterAndAnswersTheMirrorsValue() {
        TagReading written = write(LEVEL, 20.5);

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).containsExactly(ALICE, LEVEL, 20.5);
        assertThat(written.value().value()).as("read back from the mirror, which holds the node's answer").isEqualTo(41.0);
        assertThat(written.value().quality()).isEqualTo(Quality.GOOD);
        assertThat(plant.rma.writes).as("the local backend is not written").hasValue(0);
        assertThat(plant.trail.records).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(AuditRecord.OK);
            assertThat(r.after()).isEqualTo(20.5);
        });
    }

    @Test
    void theHostsOwnChecksComeFirst() {
        NexusException readOnly = catchThrowableOfType(() -> write(STATE, 3L), NexusException.class);
        NexusException outOfRange = catchThrowableOfType(() -> write(LEVEL, 120.0), NexusException.class);

        assertThat(readOnly.code()).isEqualTo(ErrorCode.NOT_WRITABLE);
        assertThat(outOfRange.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(sent).as("nothing reached the node").isEmpty();
        assertThat(plant.trail.records).extracting(AuditRecord::result).containsExactly("NOT_WRITABLE", "INVALID_ARGUMENT");
    }

    @Test
    void theNodesRefusalIsTheAnswerAndIsAuditedAfterTheIntent() {
        answer = new NexusException(ErrorCode.FORBIDDEN, "operator may not write level");

        NexusException refused = catchThrowableOfType(() -> write(LEVEL, 20.5), NexusException.class);

        assertThat(refused.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(refused.getMessage()).isEqualTo("operator may not write level");
        assertThat(plant.trail.records).extracting(AuditRecord::result).containsExactly(AuditRecord.OK, "FORBIDDEN");
        assertThat(plant.trail.records.get(1).detail()).isEqualTo("operator may not write level");
    }

    @Test
    void anUnansweredWriteIsOutcomeUnknownNotAFailure() {
        answer = new NexusException(ErrorCode.OUTCOME_UNKNOWN, "no answer from plant/edge1 within 5000 ms");

        NexusException unknown = catchThrowableOfType(() -> write(LEVEL, 20.5), NexusException.class);

        assertThat(unknown.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        assertThat(plant.trail.records).extracting(AuditRecord::result).containsExactly(AuditRecord.OK, "OUTCOME_UNKNOWN");
    }

    @Test
    void noLocalBackendIsNeededForARemotelyWrittenTag() {
        plant.backend = null;

        TagReading written = write(LEVEL, 20.5);

        assertThat(written.value().value()).as("the node's answer").isEqualTo(41.0);
        assertThat(written.value().quality()).isEqualTo(Quality.GOOD);
        NexusException local = catchThrowableOfType(() -> write("plant/tank/level", 20L), NexusException.class);
        assertThat(local.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
    }
}
