package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.core.AuditRecord;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.Quality;
import nexus.query.TagReading;
import nexus.query.TagWrite;
import nexus.query.WriteResult;

/** Every rule of a write, its code and message, in order; and the audit record of every write. */
class TagWritesTest {

    private static final Caller ALICE = Caller.of("alice", "http 127.0.0.1");

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

    private TagReading write(String path, Object value) {
        return plant.tags.write(ALICE, new TagWrite(path, value));
    }

    /** @return the refusal, after checking its code and message */
    private NexusException refused(String path, Object value, ErrorCode code, String message) {
        NexusException e = org.assertj.core.api.Assertions.catchThrowableOfType(() -> write(path, value), NexusException.class);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).isEqualTo(message);
        return e;
    }

    private AuditRecord lastRecord() {
        return plant.trail.records.get(plant.trail.records.size() - 1);
    }

    /** A policy that lets every caller read everything and write only under {@code write}. */
    private static AccessPolicy writingOnly(String write) {
        return caller -> new Access(new java.util.TreeSet<>(java.util.Set.of("operator")),
                java.util.EnumSet.of(Permission.READ, Permission.WRITE), PathScope.ALL, PathScope.of(write), 0, 0);
    }

    @Test
    void aWriteIsAuditedFirstThenWrittenThenReadBack() {
        plant.plc("plant/tank/level", 12.5);
        List<Object> inRmaWhenAudited = new ArrayList<>();
        plant.trail.onAppend = record -> inRmaWhenAudited.add(plant.value("plant/tank/level"));

        TagReading written = write("plant/tank/level", new BigDecimal("37.5"));

        assertThat(inRmaWhenAudited).as("RMA still held the old value when the record was appended").containsExactly(12.5f);
        assertThat(written.value().value()).isEqualTo(37.5f);
        assertThat(written.value().quality()).isEqualTo(Quality.GOOD);
        assertThat(written.tag().path()).isEqualTo("plant/tank/level");
        assertThat(written.tag().bank()).isEqualTo("process");
        assertThat(written.tag().properties()).containsEntry("area", "north");
        assertThat(plant.trail.records).hasSize(1);
        AuditRecord record = lastRecord();
        assertThat(record.sequence()).isEqualTo(1);
        assertThat(record.caller()).isEqualTo(ALICE);
        assertThat(record.target()).isEqualTo(AuditRecord.Target.TAG);
        assertThat(record.name()).isEqualTo("plant/tank/level");
        assertThat(record.action()).isEqualTo("write");
        assertThat(record.before()).isEqualTo(12.5f);
        assertThat(record.after()).as("the value as written").isEqualTo(37.5f);
        assertThat(record.result()).isEqualTo(AuditRecord.OK);
        assertThat(record.refused()).isFalse();
    }

    @Test
    void whenTheAuditTrailCannotTakeTheRecordNothingIsWritten() {
        plant.plc("plant/tank/level", 12.5);
        plant.trail.failing = "the audit journal cannot be written (disk full)";

        refused("plant/tank/level", 40L, ErrorCode.BACKEND_UNAVAILABLE, "nothing was written to plant/tank/level: the"
                + " audit trail cannot record the write (the audit journal cannot be written (disk full))");

        assertThat(plant.rma.writes).hasValue(0);
        assertThat(plant.value("plant/tank/level")).isEqualTo(12.5f);
    }

    @Test
    void withoutAnAuditTrailWritesAreRefused() {
        plant.audit = null;

        refused("plant/tank/level", 40L, ErrorCode.BACKEND_UNAVAILABLE,
                "no audit trail is running: writes are refused until it is");
        assertThat(plant.rma.writes).hasValue(0);
        refused("plant/pump/running", true, ErrorCode.NOT_WRITABLE, "tag plant/pump/running is not writable");
    }

    @Test
    void anUnknownTagIsNotFoundAndAudited() {
        refused("plant/nope", 1L, ErrorCode.TAG_NOT_FOUND, "no tag has the path plant/nope");

        AuditRecord record = lastRecord();
        assertThat(record.refused()).isTrue();
        assertThat(record.result()).isEqualTo("TAG_NOT_FOUND");
        assertThat(record.name()).isEqualTo("plant/nope");
        assertThat(record.before()).isNull();
        assertThat(record.after()).isEqualTo(1L);
        assertThat(record.detail()).isEqualTo("no tag has the path plant/nope");
    }

    @Test
    void theAccessPolicyRefusesWithItsOwnReasonBeforeTheTagsRules() {
        plant.policy = writingOnly("utility/**");
        plant.plc("plant/pump/running", true);

        refused("plant/pump/running", "not even a boolean", ErrorCode.FORBIDDEN,
                "the roles operator may write only under utility/**; plant/pump/running is outside");

        AuditRecord record = lastRecord();
        assertThat(record.refused()).isTrue();
        assertThat(record.result()).isEqualTo("FORBIDDEN");
        assertThat(record.before()).isEqualTo(true);
        assertThat(record.after()).isEqualTo("not even a boolean");
        refused("plant/nope", 1L, ErrorCode.TAG_NOT_FOUND, "no tag has the path plant/nope");
    }

    @Test
    void aFailingAccessPolicyRefusesEverythingAsIfNoTagWereThere() {
        plant.policy = caller -> {
            throw new IllegalStateException("policy store unreachable");
        };

        refused("plant/tank/level", 1L, ErrorCode.TAG_NOT_FOUND, "no tag has the path plant/tank/level");
        assertThat(plant.rma.writes).hasValue(0);
    }

    @Test
    void aReadOnlyTagIsNotWritableWhateverTheValue() {
        refused("plant/tank/temperature", "hot", ErrorCode.NOT_WRITABLE, "tag plant/tank/temperature is not writable");
        assertThat(lastRecord().result()).isEqualTo("NOT_WRITABLE");
    }

    @Test
    void theValueMustFitTheTypeAndTheEngineeringRange() {
        refused("plant/pump/start", 1L, ErrorCode.INVALID_ARGUMENT,
                "cannot write plant/pump/start (BOOL): BOOL takes true or false, not the number 1");
        refused("plant/tank/level", new BigDecimal("100.5"), ErrorCode.INVALID_ARGUMENT,
                "cannot write plant/tank/level: 100.5 is outside its engineering range 0..100 %");
        refused("plant/pump/speed", 40_000L, ErrorCode.INVALID_ARGUMENT,
                "cannot write plant/pump/speed (INT16): 40000 is outside INT16's range -32768..32767");
        refused("plant/pump/speed", 3_001L, ErrorCode.INVALID_ARGUMENT,
                "cannot write plant/pump/speed: 3001 is outside its engineering range 0..3000 rpm");
        refused("plant/batch", "lot-123456", ErrorCode.INVALID_ARGUMENT,
                "cannot write plant/batch (STRING(8)): the text is 10 bytes of UTF-8; STRING(8) holds at most 8");
        refused("plant/batch", null, ErrorCode.INVALID_ARGUMENT,
                "cannot write plant/batch (STRING(8)): no value given (null): send text of at most 8 bytes");
        assertThat(plant.rma.writes).hasValue(0);
        assertThat(plant.trail.records).hasSize(6).allSatisfy(r -> assertThat(r.result()).isEqualTo("INVALID_ARGUMENT"));
    }

    @Test
    void writesPausedByTheRegistryAreRefusedWithItsReasonAfterTheValueIsChecked() {
        plant.writesRefused = Optional.of("RMA writes are refused: bank process is smaller in the backend");

        refused("plant/pump/start", 1L, ErrorCode.INVALID_ARGUMENT,
                "cannot write plant/pump/start (BOOL): BOOL takes true or false, not the number 1");
        refused("plant/pump/start", true, ErrorCode.BACKEND_UNAVAILABLE,
                "RMA writes are refused: bank process is smaller in the backend");
        assertThat(plant.rma.writes).hasValue(0);
    }

    @Test
    void withoutABackendWritesAreRefused() {
        plant.backend = null;

        refused("plant/pump/start", true, ErrorCode.BACKEND_UNAVAILABLE, "no RMA backend is registered; see GET /health");
        assertThat(lastRecord().before()).isNull();
    }

    @Test
    void withoutARegistryWritesAreRefusedAndAudited() {
        plant.registryRunning = false;

        refused("plant/pump/start", true, ErrorCode.BACKEND_UNAVAILABLE,
                "the registry service is not running: see GET /health");
        assertThat(lastRecord().refused()).isTrue();
    }

    @Test
    void aRefusalThatCannotBeAuditedIsStillAnswered() {
        plant.trail.failing = "the audit journal cannot be written (disk full)";

        refused("plant/tank/temperature", 20L, ErrorCode.NOT_WRITABLE, "tag plant/tank/temperature is not writable");
    }

    @Test
    void aWriteRmaRefusesIsRecordedTwiceAndThrown() {
        plant.backend = new CountingBackend(plant.rma.memory) {
            @Override
            public void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the shared memory file is gone");
            }
        };

        assertThatThrownBy(() -> write("plant/tank/level", 50L)).isInstanceOf(NexusException.class)
                .hasMessage("the shared memory file is gone");

        assertThat(plant.trail.records).hasSize(2);
        assertThat(plant.trail.records.get(0).result()).isEqualTo(AuditRecord.OK);
        AuditRecord failure = plant.trail.records.get(1);
        assertThat(failure.result()).isEqualTo("BACKEND_UNAVAILABLE");
        assertThat(failure.refused()).isFalse();
        assertThat(failure.after()).isEqualTo(50f);
        assertThat(failure.detail()).isEqualTo("the shared memory file is gone");
    }

    @Test
    void aBatchWritesEachItemOnItsOwn() {
        List<WriteResult> results = plant.tags.write(ALICE, List.of(new TagWrite("plant/pump/start", true),
                new TagWrite("plant/nope", 1L), new TagWrite("plant/tank/temperature", 1L),
                new TagWrite("plant/batch", "lot-7")));

        assertThat(results).extracting(WriteResult::path).containsExactly("plant/pump/start", "plant/nope",
                "plant/tank/temperature", "plant/batch");
        assertThat(results).extracting(WriteResult::ok).containsExactly(true, false, false, true);
        assertThat(results.get(0).reading().value().value()).isEqualTo(true);
        assertThat(results.get(1).error().code()).isEqualTo(ErrorCode.TAG_NOT_FOUND);
        assertThat(results.get(2).error().getMessage()).isEqualTo("tag plant/tank/temperature is not writable");
        assertThat(plant.value("plant/batch")).isEqualTo("lot-7");
        assertThat(plant.trail.records).extracting(AuditRecord::result).containsExactly("OK", "TAG_NOT_FOUND",
                "NOT_WRITABLE", "OK");
    }
}
