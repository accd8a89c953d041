package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.CommandFixture.EDGE;
import static nexus.sparkplug.internal.CommandFixture.LABEL;
import static nexus.sparkplug.internal.CommandFixture.NOW;
import static nexus.sparkplug.internal.CommandFixture.REBIRTH_ALIAS;
import static nexus.sparkplug.internal.CommandFixture.RUN;
import static nexus.sparkplug.internal.CommandFixture.SP101;
import static nexus.sparkplug.internal.CommandFixture.TT101;
import static nexus.sparkplug.internal.CommandFixture.integerPath;
import static nexus.sparkplug.internal.CommandFixture.properties;
import static nexus.sparkplug.internal.CommandFixture.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import nexus.core.Caller;
import nexus.query.TagWrite;
import nexus.rma.RmaType;

/** NCMD writes carried out and answered, and rebirth requests; every command built with Eclipse Tahu. */
class CommandsTest {

    private final CommandFixture fixture = new CommandFixture();

    @Test
    void writesByNameAndAnswersWithTheRequestIdResultOkAndTheValueReadBack() {
        Metric answer = fixture.answer(Ncmd.at(NOW - 500).write(TT101, MetricDataType.Double, 55.5,
                Map.of("requestId", "req-1", "user", "alice")));

        assertThat(fixture.tags.written).containsExactly(new TagWrite(TT101, 55.5));
        assertThat(answer.getAlias()).isEqualTo(1);
        assertThat(answer.hasName()).isFalse();
        assertThat(answer.getDatatype()).isEqualTo(DataType.Double.getNumber());
        assertThat(value(answer)).isEqualTo(55.5);
        assertThat(properties(answer)).containsExactly(Map.entry("requestId", "req-1"), Map.entry("result", "OK"));
        assertThat(answer.getTimestamp()).isEqualTo((WriteTags.WRITTEN_NS + 2_000_000_000L) / 1_000_000);
        assertThat(fixture.counters.writes.sum()).isEqualTo(1);
        assertThat(fixture.counters.writesRefused.sum()).isZero();
        assertThat(fixture.audit.records).as("the tag service audits what it carries out").isEmpty();
    }

    @Test
    void writesByAliasAlone() {
        Metric answer = fixture.answer(Ncmd.at(NOW).writeAlias(3, MetricDataType.Boolean, true, Map.of()));

        assertThat(fixture.tags.written).containsExactly(new TagWrite(RUN, true));
        assertThat(answer.getAlias()).isEqualTo(3);
        assertThat(value(answer)).isEqualTo(true);
        assertThat(properties(answer)).containsExactly(Map.entry("result", "OK"));
    }

    @Test
    void writesAsTheNamedUserViaTheEdgeUserWithTheEdgeRolesAndTheRequestInTheSource() {
        fixture.answer(Ncmd.at(NOW).write(TT101, MetricDataType.Double, 1.0, Map.of("user", "alice",
                "requestId", "r-77")));

        Caller caller = fixture.tags.callers.get(0);
        assertThat(caller.user()).isEqualTo("alice via sparkplug");
        assertThat(caller.roles()).isEqualTo(EDGE.roles());
        assertThat(caller.source()).isEqualTo("sparkplug NCMD request r-77");
    }

    @Test
    void writesAsTheEdgeUserWhenTheCommandNamesNoUser() {
        fixture.answer(Ncmd.at(NOW).write(TT101, MetricDataType.Double, 1.0));

        Caller caller = fixture.tags.callers.get(0);
        assertThat(caller.user()).isEqualTo("sparkplug");
        assertThat(caller.source()).isEqualTo("sparkplug NCMD");
    }

    static Stream<Arguments> integers() {
        return Stream.of(
                Arguments.of(RmaType.INT8, MetricDataType.Int8, (byte) -5, -5L),
                Arguments.of(RmaType.INT8, MetricDataType.Int8, (byte) 127, 127L),
                Arguments.of(RmaType.INT16, MetricDataType.Int16, (short) -300, -300L),
                Arguments.of(RmaType.INT32, MetricDataType.Int32, -100_000, -100_000L),
                Arguments.of(RmaType.INT32, MetricDataType.Int32, Integer.MIN_VALUE, (long) Integer.MIN_VALUE),
                Arguments.of(RmaType.INT64, MetricDataType.Int64, -5_000_000_000_000L, -5_000_000_000_000L),
                Arguments.of(RmaType.INT64, MetricDataType.Int64, Long.MAX_VALUE, Long.MAX_VALUE),
                Arguments.of(RmaType.UINT8, MetricDataType.UInt8, (short) 255, 255L),
                Arguments.of(RmaType.UINT16, MetricDataType.UInt16, 65_535, 65_535L),
                Arguments.of(RmaType.UINT32, MetricDataType.UInt32, 3_000_000_000L, 3_000_000_000L),
                Arguments.of(RmaType.UINT32, MetricDataType.UInt32, 4_294_967_295L, 4_294_967_295L));
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("integers")
    void writesEveryIntegerDatatypeAsTahuEncodesItAndAnswersItBack(RmaType type, MetricDataType tahuType,
            Object sent, long expected) {
        String path = integerPath(type);

        Metric answer = fixture.answer(Ncmd.at(NOW).write(path, tahuType, sent));

        assertThat(fixture.tags.written).containsExactly(new TagWrite(path, expected));
        assertThat(properties(answer)).containsEntry("result", "OK");
        assertThat(answer.getDatatype()).isEqualTo(DataTypes.of(type).getNumber());
        assertThat(value(answer)).isEqualTo(expected);
    }

    @Test
    void writesFloatDoubleBooleanAndString() {
        Commands.Outcome outcome = fixture.handle(Ncmd.at(NOW)
                .write(SP101, MetricDataType.Float, 2.25f)
                .write(TT101, MetricDataType.Double, 150.125)
                .write(RUN, MetricDataType.Boolean, true)
                .write(LABEL, MetricDataType.String, "läuft"));

        assertThat(fixture.tags.written).containsExactly(new TagWrite(SP101, 2.25f), new TagWrite(TT101, 150.125),
                new TagWrite(RUN, true), new TagWrite(LABEL, "läuft"));
        assertThat(outcome.answers()).extracting(CommandFixture::value).containsExactly(2.25f, 150.125, true, "läuft");
        assertThat(outcome.answers()).extracting(Metric::getAlias).containsExactly(2L, 1L, 3L, 4L);
    }

    @Test
    void answersSeveralWritesOneEachInTheCommandsOrderRefusedOnesIncluded() {
        Commands.Outcome outcome = fixture.handle(Ncmd.at(NOW)
                .write(RUN, MetricDataType.Boolean, true, Map.of("requestId", "a"))
                .write(CommandFixture.READ_ONLY, MetricDataType.Double, 1.0, Map.of("requestId", "b"))
                .write("plant/nowhere", MetricDataType.Double, 1.0, Map.of("requestId", "c"))
                .write(TT101, MetricDataType.Double, 80.0, Map.of("requestId", "d")));

        assertThat(outcome.rebirth()).isFalse();
        assertThat(outcome.answers()).extracting(a -> properties(a).get("requestId")).containsExactly("a", "b", "c", "d");
        assertThat(outcome.answers()).extracting(a -> properties(a).get("result"))
                .containsExactly("OK", "NOT_WRITABLE", "TAG_NOT_FOUND", "OK");
        assertThat(fixture.tags.written).containsExactly(new TagWrite(RUN, true), new TagWrite(TT101, 80.0));
        assertThat(fixture.counters.writes.sum()).isEqualTo(2);
        assertThat(fixture.counters.writesRefused.sum()).isEqualTo(2);
    }

    @Test
    void rebirthTrueAsksForABirthAndIsNotAWrite() {
        Commands.Outcome outcome = fixture.handle(Ncmd.at(NOW).rebirth(true));

        assertThat(outcome.rebirth()).isTrue();
        assertThat(outcome.answers()).isEmpty();
        assertThat(fixture.counters.rebirthRequests.sum()).isEqualTo(1);
        assertThat(fixture.audit.records).isEmpty();
    }

    @Test
    void rebirthByAliasAndWithoutTimestampAndBeforeAnyBirth() {
        assertThat(fixture.handle(Ncmd.untimed().writeAlias(REBIRTH_ALIAS, MetricDataType.Boolean, true, Map.of()))
                .rebirth()).isTrue();
        assertThat(fixture.commands.handle(Ncmd.untimed().rebirth(true).payload(), MetricTable.empty()).rebirth())
                .isTrue();
        assertThat(fixture.counters.rebirthRequests.sum()).isEqualTo(2);
    }

    @Test
    void rebirthFalseDoesNothing() {
        Commands.Outcome outcome = fixture.handle(Ncmd.at(NOW).rebirth(false));

        assertThat(outcome.rebirth()).isFalse();
        assertThat(outcome.answers()).isEmpty();
        assertThat(fixture.counters.rebirthRequests.sum()).isZero();
    }

    @Test
    void rebirthAndWritesInOneCommand() {
        Commands.Outcome outcome = fixture.handle(Ncmd.at(NOW).write(RUN, MetricDataType.Boolean, true).rebirth(true));

        assertThat(outcome.rebirth()).isTrue();
        assertThat(outcome.answers()).hasSize(1);
        assertThat(fixture.tags.written).containsExactly(new TagWrite(RUN, true));
    }

    @Test
    void hostileUserAndRequestIdStillGiveAValidCallerAndTheWriteGoesAhead() {
        String hostile = "\u001b[31mmallory\r\n" + "x".repeat(10_000) + "\u0000";
        String requestId = "id\n\t" + "9".repeat(10_000);

        Metric answer = fixture.answer(Ncmd.at(NOW).write(TT101, MetricDataType.Double, 5.0,
                Map.of("user", hostile, "requestId", requestId)));

        assertThat(fixture.tags.written).containsExactly(new TagWrite(TT101, 5.0));
        Caller caller = fixture.tags.callers.get(0);
        assertThat(caller.user()).hasSizeLessThanOrEqualTo(Caller.MAX_USER).startsWith("[31mmalloryxxx")
                .endsWith(" via sparkplug").doesNotContain("\u001b", "\r", "\n", "\u0000");
        assertThat(caller.roles()).isEqualTo(EDGE.roles());
        String answeredId = properties(answer).get("requestId");
        assertThat(answeredId).hasSize(CommandCaller.MAX_REQUEST_ID).startsWith("id999").doesNotContain("\n", "\t");
        assertThat(caller.source()).isEqualTo("sparkplug NCMD request " + answeredId);
        assertThat(properties(answer)).containsEntry("result", "OK");
    }

    @Test
    void answersAreReadableByTahusDecoder() throws Exception {
        Commands.Outcome outcome = fixture.handle(Ncmd.at(NOW)
                .write(integerPath(RmaType.UINT32), MetricDataType.UInt32, 3_000_000_000L, Map.of("requestId", "u"))
                .write(integerPath(RmaType.INT8), MetricDataType.Int8, (byte) -5)
                .write(CommandFixture.READ_ONLY, MetricDataType.Double, 1.0));
        byte[] ndata = Payload.newBuilder().setTimestamp(NOW).setSeq(1).addAllMetrics(outcome.answers()).build()
                .toByteArray();

        SparkplugBPayload decoded = new SparkplugBPayloadDecoder().buildFromByteArray(ndata, null);

        List<org.eclipse.tahu.message.model.Metric> metrics = decoded.getMetrics();
        assertThat(metrics).extracting(org.eclipse.tahu.message.model.Metric::getAlias).containsExactly(11L, 5L, 20L);
        assertThat(metrics.get(0).getValue()).isEqualTo(3_000_000_000L);
        assertThat(metrics.get(0).getProperties().getPropertyValue("requestId").getValue()).isEqualTo("u");
        assertThat(metrics.get(1).getValue()).isEqualTo((byte) -5);
        assertThat(metrics.get(2).getProperties().getPropertyValue("result").getValue()).isEqualTo("NOT_WRITABLE");
        assertThat(metrics.get(2).getValue()).isEqualTo(7.0);
        assertThat(decoded.getTimestamp()).isEqualTo(new Date(NOW));
    }
}
