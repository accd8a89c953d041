package nexus.sparkplug.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;

import nexus.rma.Allocation;
import nexus.rma.RmaType;

/**
 * Where the mirrored metrics of one remote edge node's birth live in its mirror bank: every value at
 * its natural alignment, without overlap. Metrics are placed by size, largest first (8-byte values,
 * then 4, 2 and 1-byte values, then BOOLs packed eight to a byte, then STRING(n)s), and by name within
 * a size: so the same metric set always gets the same layout, whatever order or aliases a birth gives
 * it, and a rebirth of an unchanged node reuses its memory. Allocations name bank 0 (the mirror's one
 * bank). Immutable; thread-safe.
 */
final class MirrorLayout {

    /**
     * What a mirrored metric is, as far as the registry sees it: a rebirth whose shapes equal the
     * current ones needs no new registry version.
     *
     * @param name        the metric name (the tag path below {@code <prefix>/<group>/<edge node>/})
     * @param datatype    the Sparkplug datatype of the birth
     * @param unit        property {@code engUnit}, or {@code null}
     * @param engLow      property {@code engLow}, or {@code null}
     * @param engHigh     property {@code engHigh}, or {@code null}
     * @param description property {@code description}, or {@code null}
     * @param writable    property {@code writable}, or {@code null} when the birth does not say
     */
    record Shape(String name, DataType datatype, String unit, Double engLow, Double engHigh, String description,
            Boolean writable) {
    }

    /** A mirrored metric and its place in the bank. */
    record Slot(Shape shape, Allocation allocation) {
    }

    private final List<Slot> slots;
    private final Map<String, Slot> byName;
    private final int end;

    private MirrorLayout(List<Slot> slots, int end) {
        this.slots = List.copyOf(slots);
        this.end = end;
        this.byName = new HashMap<>(slots.size() * 2);
        for (Slot slot : slots) {
            byName.put(slot.shape().name(), slot);
        }
    }

    /**
     * @return the RMA type a metric of this datatype is mirrored as, or {@code null} when it is not
     *         mirrored (DataSet, Template, Bytes, File, arrays, unknown): UInt64 and DateTime (ms since
     *         the epoch) become INT64, String, Text and UUID STRING(n)
     */
    static RmaType typeOf(DataType datatype) {
        return switch (datatype) {
            case Boolean -> RmaType.BOOL;
            case Int8 -> RmaType.INT8;
            case Int16 -> RmaType.INT16;
            case Int32 -> RmaType.INT32;
            case Int64, UInt64, DateTime -> RmaType.INT64;
            case UInt8 -> RmaType.UINT8;
            case UInt16 -> RmaType.UINT16;
            case UInt32 -> RmaType.UINT32;
            case Float -> RmaType.FLOAT32;
            case Double -> RmaType.FLOAT64;
            case String, Text, UUID -> RmaType.STRING;
            default -> null;
        };
    }

    /**
     * @param shapes     the mirrored metrics, each of a datatype {@link #typeOf} maps, names unique
     * @param stringSize the bytes of each STRING(n) (n ≥ 1)
     */
    static MirrorLayout of(Collection<Shape> shapes, int stringSize) {
        List<Shape> sorted = new ArrayList<>(shapes);
        sorted.sort(Comparator.comparingInt((Shape s) -> rank(typeOf(s.datatype()))).thenComparing(Shape::name));
        List<Slot> slots = new ArrayList<>(sorted.size());
        int offset = 0;
        int bits = 0;
        for (Shape shape : sorted) {
            RmaType type = typeOf(shape.datatype());
            if (type != RmaType.BOOL && bits > 0) {
                offset += (bits + 7) / 8;
                bits = 0;
            }
            Allocation allocation = switch (type) {
                case BOOL -> Allocation.bool(0, offset + bits / 8, bits++ % 8);
                case STRING -> Allocation.string(0, offset, stringSize);
                default -> Allocation.of(0, offset, type);
            };
            if (type != RmaType.BOOL) {
                offset += allocation.length();
            }
            slots.add(new Slot(shape, allocation));
        }
        offset += (bits + 7) / 8;
        return new MirrorLayout(slots, offset);
    }

    /** Largest alignment first, so that every value is naturally aligned without padding. */
    private static int rank(RmaType type) {
        return switch (type) {
            case INT64, FLOAT64 -> 0;
            case INT32, UINT32, FLOAT32 -> 1;
            case INT16, UINT16 -> 2;
            case INT8, UINT8 -> 3;
            case BOOL -> 4;
            case STRING -> 5;
        };
    }

    /** @return the slots, in bank order */
    List<Slot> slots() {
        return slots;
    }

    /** @return the slot of the metric with this name, or {@code null} */
    Slot slot(String name) {
        return byName.get(name);
    }

    /** @return the end of the last value in bytes */
    int end() {
        return end;
    }

    /** @return whether the other layout mirrors the same metric set (names, datatypes, metadata) */
    boolean sameShapes(MirrorLayout other) {
        if (other == null || other.slots.size() != slots.size()) {
            return false;
        }
        for (int i = 0; i < slots.size(); i++) {
            if (!slots.get(i).shape().equals(other.slots.get(i).shape())) {
                return false;
            }
        }
        return true;
    }
}
