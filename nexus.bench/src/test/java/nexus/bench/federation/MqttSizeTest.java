package nexus.bench.federation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MqttSizeTest {

    @Test
    void countsTheFixedHeaderTheTopicAndThePayload() {
        // 1 + 1 (remaining 2 + 5 + 10 = 17) + 17
        assertThat(MqttSize.publish("a/b/c", 10, 0)).isEqualTo(19);
    }

    @Test
    void addsThePacketIdAboveQos0() {
        assertThat(MqttSize.publish("a/b/c", 10, 1)).isEqualTo(21);
    }

    @Test
    void theRemainingLengthTakesMoreBytesAsItGrows() {
        assertThat(MqttSize.publish("t", 125, 0)).isEqualTo(1 + 2 + 128);
        assertThat(MqttSize.publish("t", 16_381, 0)).isEqualTo(1 + 3 + 16_384);
    }
}
