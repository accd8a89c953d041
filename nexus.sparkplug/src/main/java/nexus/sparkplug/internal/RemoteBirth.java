package nexus.sparkplug.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import nexus.core.TagPath;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.PropertySet;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.PropertyValue;

/**
 * A remote edge node's NBIRTH or one of its devices' DBIRTH, read (Sparkplug 3.0, 7.6.2): the node's
 * bdSeq (a DBIRTH has none), the metrics the host mirrors as tags and the ones it does not, and every
 * metric by name and by alias, for the data that follows.
 *
 * <p>Not mirrored (each with its cause, for the log and the node's status): {@code bdSeq},
 * {@code Node Control/*}, {@code Device Control/*} and {@code Properties/*} metrics; datatypes without an RMA type (DataSet,
 * Template, Bytes, File, arrays, unknown); names whose mirrored path is no tag path ({@link TagPath}:
 * empty, an empty segment, a {@code .} or {@code ..} segment, a control character, longer than
 * 1,024 bytes); a name or alias given twice (its second one).
 * Metrics that are known but not mirrored are still known: data about them is no error. Immutable.
 */
final class RemoteBirth {

    /** A metric the birth names: {@code shape} is {@code null} when it is not mirrored. */
    record Known(String name, DataType datatype, MirrorLayout.Shape shape) {
    }

    /** A mirrored metric and the birth's metric, whose value it starts with. */
    record Born(MirrorLayout.Shape shape, Metric metric) {
    }

    /** A metric not mirrored, and why. */
    record Skipped(String name, String cause) {
    }

    private final long bdSeq;
    private final long timestamp;
    private final List<Born> mirrored;
    private final List<Skipped> skipped;
    private final Map<String, Known> byName;
    private final Map<Long, Known> byAlias;

    private RemoteBirth(long bdSeq, long timestamp, List<Born> mirrored, List<Skipped> skipped,
            Map<String, Known> byName, Map<Long, Known> byAlias) {
        this.bdSeq = bdSeq;
        this.timestamp = timestamp;
        this.mirrored = List.copyOf(mirrored);
        this.skipped = List.copyOf(skipped);
        this.byName = byName;
        this.byAlias = byAlias;
    }

    /**
     * Reads an NBIRTH.
     *
     * @throws IllegalArgumentException when the birth carries no {@code bdSeq} metric of an integer
     *                                  value (without it no death can be matched to the session)
     */
    static RemoteBirth read(Payload birth, String under) {
        return read(birth, true, under);
    }

    /**
     * @param withBdSeq whether the birth must carry a {@code bdSeq} (an NBIRTH); a DBIRTH has none (its
     *                  device lives in its node's session): its {@link #bdSeq()} is -1
     * @param under     the tag path the metrics are mirrored under, ending with {@code /}
     *                  ({@code <prefix>/<group>/<edge node>/}, and {@code <device>/} for a DBIRTH): a name
     *                  is mirrored only when the whole path is a tag path
     * @throws IllegalArgumentException when {@code withBdSeq} and the birth carries no {@code bdSeq}
     *                                  metric of an integer value
     */
    static RemoteBirth read(Payload birth, boolean withBdSeq, String under) {
        Long bdSeq = null;
        List<Born> mirrored = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Map<String, Known> byName = new HashMap<>();
        Map<Long, Known> byAlias = new HashMap<>();
        for (Metric metric : birth.getMetricsList()) {
            String name = metric.hasName() ? metric.getName() : "";
            DataType datatype = DataType.forNumber(metric.getDatatype());
            if (datatype == null) {
                datatype = DataType.Unknown;
            }
            if (name.equals("bdSeq")) {
                bdSeq = integer(metric);
            }
            String cause = cause(under, name, datatype, byName, metric.hasAlias() ? byAlias.containsKey(metric.getAlias()) : false);
            MirrorLayout.Shape shape = cause == null ? shape(name, datatype, metric.getProperties()) : null;
            if (cause == null) {
                mirrored.add(new Born(shape, metric));
            } else {
                skipped.add(new Skipped(name, cause));
            }
            Known known = new Known(name, datatype, shape);
            if (!name.isEmpty()) {
                byName.putIfAbsent(name, known);
            }
            if (metric.hasAlias()) {
                byAlias.putIfAbsent(metric.getAlias(), known);
            }
        }
        if (!withBdSeq) {
            bdSeq = -1L;
        }
        if (bdSeq == null) {
            throw new IllegalArgumentException("the NBIRTH carries no bdSeq metric with an integer value (Sparkplug 3.0"
                    + " requires one: without it the node's deaths cannot be told apart)");
        }
        return new RemoteBirth(bdSeq, birth.hasTimestamp() ? birth.getTimestamp() : 0, mirrored, skipped, byName, byAlias);
    }

    /** @return the session's birth/death sequence number; -1 for a DBIRTH */
    long bdSeq() {
        return bdSeq;
    }

    /** @return the payload's timestamp (ms since the epoch), 0 when it has none */
    long timestamp() {
        return timestamp;
    }

    List<Born> mirrored() {
        return mirrored;
    }

    List<Skipped> skipped() {
        return skipped;
    }

    /** @return the metric with this name, or {@code null} when the birth has none */
    Known byName(String name) {
        return byName.get(name);
    }

    /** @return the metric with this alias, or {@code null} when the birth gave none */
    Known byAlias(long alias) {
        return byAlias.get(alias);
    }

    /** @return why the metric is not mirrored, or {@code null} when it is */
    private static String cause(String under, String name, DataType datatype, Map<String, Known> byName, boolean aliasTaken) {
        if (name.equals("bdSeq") || name.startsWith("Node Control/") || name.startsWith("Device Control/")
                || name.startsWith("Properties/")) {
            return "a node or device control or property metric is not mirrored";
        }
        String pathProblem = pathProblem(under, name);
        if (pathProblem != null) {
            return pathProblem;
        }
        if (byName.containsKey(name)) {
            return "the name is given twice in the birth: the first one is mirrored";
        }
        if (aliasTaken) {
            return "the alias is given twice in the birth: the first metric with it is mirrored";
        }
        if (MirrorLayout.typeOf(datatype) == null) {
            return "datatype " + datatype + " is not mirrored (no tag type holds it)";
        }
        return null;
    }

    /**
     * @param under the tag path the metric is mirrored under, ending with {@code /}
     * @return why the metric's mirrored path ({@code under + name}) is no tag path ({@link TagPath}), or
     *         {@code null} when it is one
     */
    static String pathProblem(String under, String name) {
        if (name.isEmpty()) {
            return "the metric has no name";
        }
        String problem = TagPath.problem(under + name);
        return problem == null ? null : "its mirrored path is no tag path: " + problem;
    }

    /** The longest unit or description mirrored, in characters; longer ones are cut. */
    static final int MAX_TEXT_CHARS = 1024;

    private static MirrorLayout.Shape shape(String name, DataType datatype, PropertySet properties) {
        String unit = null;
        Double low = null;
        Double high = null;
        String description = null;
        Boolean writable = null;
        for (int i = 0; i < Math.min(properties.getKeysCount(), properties.getValuesCount()); i++) {
            PropertyValue value = properties.getValues(i);
            if (value.getIsNull()) {
                continue;
            }
            switch (properties.getKeys(i)) {
                case "engUnit" -> unit = value.hasStringValue() ? value.getStringValue() : unit;
                case "engLow" -> low = number(value);
                case "engHigh" -> high = number(value);
                case "description" -> description = value.hasStringValue() ? value.getStringValue() : description;
                case "writable" -> writable = value.hasBooleanValue() ? value.getBooleanValue() : writable;
                default -> {
                }
            }
        }
        if (low != null && high != null ? !(Double.isFinite(low) && Double.isFinite(high) && low <= high)
                : low != null && !Double.isFinite(low) || high != null && !Double.isFinite(high)) {
            low = null; // the registry takes a range of two finite numbers, low <= high: another is no range
            high = null;
        }
        return new MirrorLayout.Shape(name, datatype, cut(unit), low, high, cut(description), writable);
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS);
    }

    /** @return a numeric property as a double (an engineering limit may come as any number type), or {@code null} */
    private static Double number(PropertyValue value) {
        return switch (value.getValueCase()) {
            case INT_VALUE -> (double) value.getIntValue();
            case LONG_VALUE -> (double) value.getLongValue();
            case FLOAT_VALUE -> (double) value.getFloatValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            default -> null;
        };
    }

    /** @return the integer value of the payload's {@code bdSeq} metric (NBIRTH or NDEATH), or {@code null} when it has none */
    static Long bdSeq(Payload payload) {
        Long bdSeq = null;
        for (Metric metric : payload.getMetricsList()) {
            if (metric.getName().equals("bdSeq")) {
                bdSeq = integer(metric);
            }
        }
        return bdSeq;
    }

    private static Long integer(Metric metric) {
        return switch (metric.getValueCase()) {
            case LONG_VALUE -> metric.getLongValue();
            case INT_VALUE -> Integer.toUnsignedLong(metric.getIntValue());
            default -> null;
        };
    }
}
