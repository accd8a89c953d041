package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.CommandFixture.LOCKED;
import static nexus.sparkplug.internal.CommandFixture.MAX_AGE_MS;
import static nexus.sparkplug.internal.CommandFixture.NOW;
import static nexus.sparkplug.internal.CommandFixture.READ_ONLY;
import static nexus.sparkplug.internal.CommandFixture.TT101;
import static nexus.sparkplug.internal.CommandFixture.VERSION;
import static nexus.sparkplug.internal.CommandFixture.integerPath;
import static nexus.sparkplug.internal.CommandFixture.properties;
import static nexus.sparkplug.internal.CommandFixture.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.junit.jupiter.api.Test;

import nexus.core.AuditRecord;
import nexus.query.Quality;
import nexus.rma.RmaType;

/**
 * NCMD writes refused: by the tag service (answered with its code and message, audited there), and
 * before it (answered and audited here); nothing is written in either case.
 */
class CommandRefusalsTest {

    private final CommandFixture fixture = new CommandFixture();

    @Test
    void refusedByTheServiceForbiddenIsAnsweredWithItsCodeReasonAndTheCurrentValue() {
        Metric answer = fixture.answer(Ncmd.at(NOW).write(LOCKED, MetricDataType.Int32, 9, Map.of("requestId", "r1")));

        assertThat(properties(answer)).containsEntry("requestId", "r1").containsEntry("result", "FORBIDDEN")
                .containsEntry("reason", "writing tags needs the permission 'write', which the roles operator do not"
                        + " grant");
        assertThat(value(answer)).isEqualTo(3L);
        assertThat(answer.getTimestamp()).isEqualTo(WriteTags.WRITTEN_NS / 1_000_000);
        assertNothingWrittenNorAuditedHere();
        assertThat(fixture.counters.writesRefused.sum()).isEqualTo(1);
    }

    @Test
    void refusedByTheServiceNotWritable() {
        Metric answer = fixture.answer(Ncmd.at(NOW).write(READ_ONLY, MetricDataType.Double, 1.0));

        assertThat(properties(answer)).containsEntry("result", "NOT_WRITABLE")
                .containsEntry("reason", "tag plant/ro is not writable").doesNotContainKey("requestId");
        assertThat(value(answer)).isEqualTo(7.0);
        assertNothingWrittenNorAuditedHere();
    }

    @Test
    void refusedByTheServiceOutsideTheEngineeringRange() {
        Metric answer = fixture.answer(Ncmd.at(NOW).write(TT101, MetricDataType.Double, 250.0));

        assertThat(properties(answer)).containsEntry("result", "INVALID_ARGUMENT");
        assertThat(properties(answer).get("reason")).contains("engineering range");
        assertThat(value(answer)).isEqualTo(20.0);
        assertNothingWrittenNorAuditedHere();
    }

    @Test
    void anInt8OutsideItsRangeIsNotWrappedAroundButRefusedByTheService() {
        Metric answer = fixture.answer(Ncmd.at(NOW).write(integerPath(RmaType.INT8), MetricDataType.Int32, 300));

        assertThat(properties(answer)).containsEntry("result", "INVALID_ARGUMENT");
        assertThat(properties(answer).get("reason")).contains("300", "INT8");
        assertNothingWrittenNorAuditedHere();
    }

    @Test
    void aRefusedTagWhoseValueIsNotGoodIsAnsweredNull() {
        fixture.tags.quality(READ_ONLY, Quality.BAD_UNAVAILABLE);

        Metric answer = fixture.answer(Ncmd.at(NOW).write(READ_ONLY, MetricDataType.Double, 1.0));

        assertThat(answer.getIsNull()).isTrue();
        assertThat(answer.getAlias()).isEqualTo(20);
    }

    @Test
    void aCommandOlderThanTheLimitIsRefusedConflictAndAuditedHere() {
        Metric answer = fixture.answer(Ncmd.at(NOW - MAX_AGE_MS - 5_000).write(TT101, MetricDataType.Double, 1.0,
                Map.of("requestId", "late", "user", "alice")));

        assertThat(properties(answer)).containsEntry("requestId", "late").containsEntry("result", "CONFLICT");
        assertThat(properties(answer).get("reason")).contains("15000 ms old", "10000 ms");
        assertThat(value(answer)).as("the current value").isEqualTo(20.0);
        assertThat(fixture.tags.written).isEmpty();
        AuditRecord record = fixture.audit.records.get(0);
        assertThat(record.refused()).isTrue();
        assertThat(record.result()).isEqualTo("CONFLICT");
        assertThat(record.target()).isEqualTo(AuditRecord.Target.TAG);
        assertThat(record.name()).isEqualTo(TT101);
        assertThat(record.action()).isEqualTo("write");
        assertThat(record.after()).isEqualTo(1.0);
        assertThat(record.caller().user()).isEqualTo("alice via sparkplug");
        assertThat(record.caller().source()).isEqualTo("sparkplug NCMD request late");
        assertThat(record.detail()).isEqualTo(properties(answer).get("reason"));
    }

    @Test
    void aCommandFromTheFutureIsRefusedConflict() {
        Metric answer = fixture.answer(Ncmd.at(NOW + MAX_AGE_MS + 1).write(TT101, MetricDataType.Double, 1.0));

        assertThat(properties(answer)).containsEntry("result", "CONFLICT");
        assertThat(properties(answer).get("reason")).contains("10001 ms ahead");
        assertThat(fixture.tags.written).isEmpty();
        assertThat(fixture.audit.records).extracting(AuditRecord::result).containsExactly("CONFLICT");
    }

    @Test
    void aCommandAtTheLimitEitherWayIsActedOn() {
        fixture.handle(Ncmd.at(NOW - MAX_AGE_MS).write(TT101, MetricDataType.Double, 1.0));
        fixture.handle(Ncmd.at(NOW + MAX_AGE_MS).write(TT101, MetricDataType.Double, 2.0));

        assertThat(fixture.tags.written).hasSize(2);
    }

    @Test
    void aCommandWithoutTimestampIsRefusedConflict() {
        Metric answer = fixture.answer(Ncmd.untimed().write(TT101, MetricDataType.Double, 1.0));

        assertThat(properties(answer)).containsEntry("result", "CONFLICT");
        assertThat(properties(answer).get("reason")).contains("no payload timestamp");
        assertThat(fixture.tags.written).isEmpty();
        assertThat(fixture.audit.records).extracting(AuditRecord::result).containsExactly("CONFLICT");
    }

    @Test
    void anUnknownNameIsAnsweredTagNotFoundByThatNameAndAudited() {
        Metric answer = fixture.answer(Ncmd.at(NOW).write("plant/nowhere", MetricDataType.Double, 1.0,
                Map.of("requestId", "n")));

        assertThat(answer.getName()).isEqualTo("plant/nowhere");
        assertThat(answer.hasAlias()).isFalse();
        assertThat(answer.getIsNull()).isTrue();
        assertThat(answer.getDatatype()).isEqualTo(DataType.Double.getNumber());
        assertThat(answer.getTimestamp()).isEqualTo(NOW);
        assertThat(properties(answer)).containsEntry("requestId", "n").containsEntry("result", "TAG_NOT_FOUND");
        assertThat(properties(answer).get("reason")).contains("'plant/nowhere'");
        assertThat(fixture.audit.records).singleElement().satisfies(record -> {
            assertThat(record.name()).isEqualTo("plant/nowhere");
            assertThat(record.result()).isEqualTo("TAG_NOT_FOUND");
        });
        assertThat(fixture.tags.callers).as("the tag service never saw it").isEmpty();
    }

    @Test
    void aHostileUnknownNameIsEchoedAsGivenButAuditedAndExplainedWithoutControlCharacters() {
        String name = "fake\nINFO forged log line\u001b" + "n".repeat(10_000);

        Metric answer = fixture.answer(Ncmd.at(NOW).write(name, MetricDataType.Double, 1.0));

        assertThat(answer.getName()).isEqualTo(name);
        assertThat(properties(answer).get("reason")).doesNotContain("\n", "\u001b").hasSizeLessThan(1400);
        assertThat(fixture.audit.records).singleElement().satisfies(record -> assertThat(record.name())
                .startsWith("fakeINFO forged log line").doesNotContain("\n").hasSizeLessThanOrEqualTo(1024));
    }

    @Test
    void anUnknownAliasIsAnsweredByThatAlias() {
        Metric answer = fixture.answer(Ncmd.at(NOW).writeAlias(999, MetricDataType.Double, 1.0, Map.of()));

        assertThat(answer.getAlias()).isEqualTo(999);
        assertThat(answer.hasName()).isFalse();
        assertThat(properties(answer)).containsEntry("result", "TAG_NOT_FOUND");
        assertThat(properties(answer).get("reason")).contains("alias 999");
        assertThat(fixture.audit.records).extracting(AuditRecord::name).containsExactly("alias 999");
    }

    @Test
    void aMetricWithoutNameOrAliasIsAnsweredTagNotFound() {
        Payload command = Payload.newBuilder().setTimestamp(NOW)
                .addMetrics(Metric.newBuilder().setDatatype(DataType.Double.getNumber()).setDoubleValue(1.0)).build();

        Commands.Outcome outcome = fixture.commands.handle(command, fixture.table);

        assertThat(outcome.answers()).singleElement().satisfies(answer -> {
            assertThat(answer.getName()).isEmpty();
            assertThat(properties(answer)).containsEntry("result", "TAG_NOT_FOUND");
            assertThat(properties(answer).get("reason")).contains("without name or alias");
        });
        assertThat(fixture.audit.records).extracting(AuditRecord::result).containsExactly("TAG_NOT_FOUND");
    }

    @Test
    void aValueOfAnotherKindIsRefusedInvalidArgumentAndAuditedHere() {
        Metric answer = fixture.answer(Ncmd.at(NOW).write(integerPath(RmaType.INT32), MetricDataType.String, "12"));

        assertThat(properties(answer)).containsEntry("result", "INVALID_ARGUMENT");
        assertThat(properties(answer).get("reason")).contains("Int32", "string_value");
        assertThat(value(answer)).isEqualTo(0L);
        assertThat(fixture.tags.written).isEmpty();
        assertThat(fixture.audit.records).singleElement().satisfies(record -> {
            assertThat(record.result()).isEqualTo("INVALID_ARGUMENT");
            assertThat(record.after()).isEqualTo("12");
        });
    }

    @Test
    void aMetricThatIsNoTagCannotBeWritten() {
        Commands.Outcome outcome = fixture.handle(Ncmd.at(NOW).write(VERSION, MetricDataType.Int64, 7L)
                .write("bdSeq", MetricDataType.Int64, 3L));

        assertThat(outcome.answers()).extracting(a -> properties(a).get("result"))
                .containsExactly("INVALID_ARGUMENT", "INVALID_ARGUMENT");
        assertThat(properties(outcome.answers().get(0)).get("reason")).startsWith("metric " + VERSION + " cannot be written");
        assertThat(outcome.answers().get(0).getAlias()).isEqualTo(CommandFixture.VERSION_ALIAS);
        assertThat(outcome.answers().get(0).getIsNull()).isTrue();
        assertThat(fixture.audit.records).extracting(AuditRecord::name).containsExactly(VERSION, "bdSeq");
        assertThat(fixture.tags.callers).isEmpty();
    }

    @Test
    void withoutTagServiceEveryWriteIsRefusedBackendUnavailable() {
        fixture.service = null;

        Metric answer = fixture.answer(Ncmd.at(NOW).write(TT101, MetricDataType.Double, 1.0));

        assertThat(properties(answer)).containsEntry("result", "BACKEND_UNAVAILABLE");
        assertThat(answer.getIsNull()).isTrue();
        assertThat(fixture.audit.records).extracting(AuditRecord::result).containsExactly("BACKEND_UNAVAILABLE");
    }

    @Test
    void aRefusalIsAnsweredWhenTheAuditTrailFailsOrIsMissing() {
        fixture.audit.failing = true;
        Metric failing = fixture.answer(Ncmd.untimed().write(TT101, MetricDataType.Double, 1.0));
        fixture.trail = null;
        Metric missing = fixture.answer(Ncmd.untimed().write(TT101, MetricDataType.Double, 1.0));

        assertThat(properties(failing)).containsEntry("result", "CONFLICT");
        assertThat(properties(missing)).containsEntry("result", "CONFLICT");
        assertThat(fixture.tags.written).isEmpty();
        assertThat(fixture.counters.writesRefused.sum()).isEqualTo(2);
    }

    @Test
    void anUnexpectedFailureOfTheServiceIsAnsweredInternalWithoutItsMessage() {
        fixture.tags.failure = new IllegalStateException("secret internals");

        Metric answer = fixture.answer(Ncmd.at(NOW).write(TT101, MetricDataType.Double, 1.0));

        assertThat(properties(answer)).containsEntry("result", "INTERNAL");
        assertThat(properties(answer).get("reason")).doesNotContain("secret");
        assertThat(fixture.counters.writesRefused.sum()).isEqualTo(1);
    }

    @Test
    void aNullValueGoesToTheServiceWhichRefusesIt() {
        Metric answer = fixture.answer(Ncmd.at(NOW).write(TT101, MetricDataType.Double, null));

        assertThat(properties(answer)).containsEntry("result", "INVALID_ARGUMENT");
        assertThat(properties(answer).get("reason")).contains("null");
        assertNothingWrittenNorAuditedHere();
    }

    private void assertNothingWrittenNorAuditedHere() {
        assertThat(fixture.tags.written).isEmpty();
        assertThat(fixture.audit.records).as("the tag service audits its own refusals").isEmpty();
    }
}
