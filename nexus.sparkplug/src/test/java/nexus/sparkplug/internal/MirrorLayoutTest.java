package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.junit.jupiter.api.Test;

import nexus.rma.Allocation;
import nexus.rma.RmaType;

class MirrorLayoutTest {

    private static MirrorLayout.Shape shape(String name, DataType type) {
        return new MirrorLayout.Shape(name, type, null, null, null, null, null);
    }

    private static List<MirrorLayout.Shape> shapes() {
        return List.of(shape("s", DataType.String), shape("b1", DataType.Boolean), shape("i8", DataType.Int8),
                shape("d", DataType.Double), shape("i16", DataType.Int16), shape("b2", DataType.Boolean),
                shape("i32", DataType.Int32), shape("t", DataType.DateTime));
    }

    @Test
    void placesLargestFirstSoEveryValueIsAlignedWithoutPadding() {
        MirrorLayout layout = MirrorLayout.of(shapes(), 16);

        assertThat(layout.slot("d").allocation()).isEqualTo(Allocation.of(0, 0, RmaType.FLOAT64));
        assertThat(layout.slot("t").allocation()).isEqualTo(Allocation.of(0, 8, RmaType.INT64));
        assertThat(layout.slot("i32").allocation()).isEqualTo(Allocation.of(0, 16, RmaType.INT32));
        assertThat(layout.slot("i16").allocation()).isEqualTo(Allocation.of(0, 20, RmaType.INT16));
        assertThat(layout.slot("i8").allocation()).isEqualTo(Allocation.of(0, 22, RmaType.INT8));
        assertThat(layout.slot("b1").allocation()).isEqualTo(Allocation.bool(0, 23, 0));
        assertThat(layout.slot("b2").allocation()).isEqualTo(Allocation.bool(0, 23, 1));
        assertThat(layout.slot("s").allocation()).isEqualTo(Allocation.string(0, 24, 16));
        assertThat(layout.end()).isEqualTo(40);
    }

    @Test
    void theSameMetricSetInAnyOrderHasTheSameLayout() {
        List<MirrorLayout.Shape> shuffled = new ArrayList<>(shapes());
        Collections.reverse(shuffled);

        MirrorLayout a = MirrorLayout.of(shapes(), 16);
        MirrorLayout b = MirrorLayout.of(shuffled, 16);

        assertThat(a.sameShapes(b)).isTrue();
        assertThat(b.slots()).isEqualTo(a.slots());
    }

    @Test
    void anotherUnitOrDatatypeIsAnotherShape() {
        List<MirrorLayout.Shape> unit = new ArrayList<>(shapes());
        unit.set(3, new MirrorLayout.Shape("d", DataType.Double, "bar", null, null, null, null));
        List<MirrorLayout.Shape> type = new ArrayList<>(shapes());
        type.set(3, shape("d", DataType.Float));

        MirrorLayout base = MirrorLayout.of(shapes(), 16);
        assertThat(base.sameShapes(MirrorLayout.of(unit, 16))).isFalse();
        assertThat(base.sameShapes(MirrorLayout.of(type, 16))).isFalse();
        assertThat(base.sameShapes(null)).isFalse();
    }

    @Test
    void datatypesWithoutATagTypeAreNotMirrored() {
        assertThat(MirrorLayout.typeOf(DataType.DataSet)).isNull();
        assertThat(MirrorLayout.typeOf(DataType.Template)).isNull();
        assertThat(MirrorLayout.typeOf(DataType.Bytes)).isNull();
        assertThat(MirrorLayout.typeOf(DataType.Int32Array)).isNull();
        assertThat(MirrorLayout.typeOf(DataType.UUID)).isEqualTo(RmaType.STRING);
        assertThat(MirrorLayout.typeOf(DataType.UInt64)).isEqualTo(RmaType.INT64);
    }
}
