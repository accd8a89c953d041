package nexus.bench.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.junit.jupiter.api.Test;

class SyntheticEdgeTest {

    private final SyntheticEdge edge = new SyntheticEdge("bench1", 8, 3);

    @Test
    void itsBirthDecodesWithTahuAsBdSeqRebirthAndEveryMetricWithAliasTypeAndUnit() throws Exception {
        SparkplugBPayload birth = new SparkplugBPayloadDecoder().buildFromByteArray(edge.birth(1_000), null);

        assertThat(birth.getSeq()).isZero();
        List<Metric> metrics = birth.getMetrics();
        assertThat(metrics).hasSize(10);
        assertThat(metrics.get(0).getName()).isEqualTo("bdSeq");
        assertThat(metrics.get(0).getValue()).isEqualTo(3L);
        assertThat(metrics.get(1).getName()).isEqualTo("Node Control/Rebirth");
        assertThat(metrics.get(1).getAlias()).isEqualTo(8L);
        assertThat(metrics.subList(2, 10)).extracting(Metric::getDataType).containsExactly(MetricDataType.Float,
                MetricDataType.Double, MetricDataType.Int32, MetricDataType.Boolean, MetricDataType.Float,
                MetricDataType.Double, MetricDataType.Int32, MetricDataType.Boolean);
        assertThat(metrics.get(2).getName()).isEqualTo("line000/float0");
        assertThat(metrics.get(5).getAlias()).isEqualTo(3L);
        assertThat(metrics.get(2).getProperties().getPropertyValue("engUnit").getValue()).isEqualTo("degC");
        assertThat(metrics.get(5).getProperties()).isNull();
    }

    @Test
    void dataCarriesTheNextChangesByAliasRoundRobinWithTheNextSeq() throws Exception {
        edge.birth(1_000);
        Payload first = Payload.parseFrom(edge.data(2_000, 5));
        Payload second = Payload.parseFrom(edge.data(2_100, 5));

        assertThat(first.getSeq()).isEqualTo(1);
        assertThat(second.getSeq()).isEqualTo(2);
        assertThat(first.getTimestamp()).isEqualTo(2_000);
        assertThat(first.getMetricsList()).extracting(Payload.Metric::getAlias).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(second.getMetricsList()).extracting(Payload.Metric::getAlias).containsExactly(5L, 6L, 7L, 0L, 1L);
        assertThat(first.getMetricsList()).allSatisfy(m -> {
            assertThat(m.hasName()).isFalse();
            assertThat(m.getTimestamp()).isEqualTo(2_000);
        });
        assertThat(second.getMetrics(3).getFloatValue()).isNotEqualTo(first.getMetrics(0).getFloatValue());
    }

    @Test
    void theSeqWrapsFrom255To0() throws Exception {
        edge.birth(1_000);
        int last = 0;
        for (int i = 0; i < 256; i++) {
            last = (int) Payload.parseFrom(edge.data(2_000, 1)).getSeq();
        }
        assertThat(last).isZero();
    }

    @Test
    void theDeathCarriesTheSessionsBdSeq() throws Exception {
        Payload death = Payload.parseFrom(edge.death(5));

        assertThat(death.getMetrics(0).getName()).isEqualTo("bdSeq");
        assertThat(death.getMetrics(0).getLongValue()).isEqualTo(3);
    }
}
