package nexus.sparkplug.internal;

import java.util.Map;
import java.util.Set;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.PropertySet;

import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.query.Deadband;
import nexus.query.TagInfo;
import nexus.query.TagService;
import nexus.rma.RmaType;

/**
 * A command handler over {@link WriteTags} and {@link RecordingAudit}, with the birth of its tags
 * (alias = tag id) plus the node's own metrics, a fixed clock and a 10 s command age limit.
 */
final class CommandFixture {

    static final long NOW = 1_800_000_000_000L;
    static final int MAX_AGE_MS = 10_000;
    static final Caller EDGE = Caller.of("sparkplug", Set.of("operator"), "sparkplug");

    static final String TT101 = "plant/tt101";
    static final String SP101 = "plant/sp101";
    static final String RUN = "plant/run";
    static final String LABEL = "plant/label";
    static final String READ_ONLY = "plant/ro";
    static final String LOCKED = "plant/locked";
    static final long REBIRTH_ALIAS = 100;
    static final long VERSION_ALIAS = 101;
    static final String VERSION = "_nexus/registry/version";

    final WriteTags tags = new WriteTags();
    final RecordingAudit audit = new RecordingAudit();
    final Counters counters = new Counters();
    TagService service = tags;
    AuditTrail trail = audit;
    final Commands commands = new Commands(new EdgeSettings("plant", "edge1", EDGE, null, 100, Deadband.NONE, MAX_AGE_MS,
            true, 1000, 0), () -> service, () -> trail, counters, () -> NOW);
    final MetricTable table;

    CommandFixture() {
        tags.add(new TagInfo(1, TT101, "FLOAT64", "b", 0, 0, 8, "degC", null, true, 0.0, 200.0, null), 20.0);
        tags.add(2, SP101, RmaType.FLOAT32, 1.5f);
        tags.add(3, RUN, RmaType.BOOL, false);
        tags.add(4, LABEL, RmaType.STRING, "start");
        long id = 5;
        for (RmaType type : new RmaType[] { RmaType.INT8, RmaType.INT16, RmaType.INT32, RmaType.INT64, RmaType.UINT8,
                RmaType.UINT16, RmaType.UINT32 }) {
            tags.add(id++, integerPath(type), type, 0L);
        }
        tags.add(new TagInfo(20, READ_ONLY, "FLOAT64", "b", 0, 0, 8, null, null, false, null, null, null), 7.0);
        tags.add(21, LOCKED, RmaType.INT32, 3L);
        tags.forbidden.add(LOCKED);
        MetricTable.Builder birth = MetricTable.builder(42);
        birth.add(new MetricTable.Entry("bdSeq", 102, DataType.Int64, null));
        birth.add(new MetricTable.Entry(Commands.REBIRTH, REBIRTH_ALIAS, DataType.Boolean, null));
        birth.add(new MetricTable.Entry(VERSION, VERSION_ALIAS, DataType.Int64, null));
        for (String path : new String[] { TT101, SP101, RUN, LABEL, integerPath(RmaType.INT8),
                integerPath(RmaType.INT16), integerPath(RmaType.INT32), integerPath(RmaType.INT64),
                integerPath(RmaType.UINT8), integerPath(RmaType.UINT16), integerPath(RmaType.UINT32), READ_ONLY,
                LOCKED }) {
            TagInfo tag = tags.tag(path);
            birth.add(new MetricTable.Entry(path, tag.id(), DataTypes.of(RmaType.valueOf(tag.type())), tag));
        }
        table = birth.build();
    }

    /** The path of the fixture's tag of an integer type: {@code plant/int8} … {@code plant/uint32}. */
    static String integerPath(RmaType type) {
        return "plant/" + type.name().toLowerCase(java.util.Locale.ROOT);
    }

    Commands.Outcome handle(Ncmd command) {
        return commands.handle(command.payload(), table);
    }

    /** @return the one answer of a command with one write */
    Metric answer(Ncmd command) {
        Commands.Outcome outcome = handle(command);
        if (outcome.answers().size() != 1) {
            throw new AssertionError("expected one answer, got " + outcome.answers());
        }
        return outcome.answers().get(0);
    }

    /** @return the answer's string properties by key */
    static Map<String, String> properties(Metric answer) {
        PropertySet set = answer.getProperties();
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        for (int i = 0; i < set.getKeysCount(); i++) {
            if (set.getValues(i).getType() != DataType.String.getNumber()) {
                throw new AssertionError("property " + set.getKeys(i) + " is not of type String (12)");
            }
            properties.put(set.getKeys(i), set.getValues(i).getStringValue());
        }
        return properties;
    }

    /** @return the answer's value, read with its datatype as a host reads it */
    static Object value(Metric answer) {
        return DataTypes.value(answer, DataType.forNumber(answer.getDatatype()));
    }
}
