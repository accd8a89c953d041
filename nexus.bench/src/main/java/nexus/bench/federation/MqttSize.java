package nexus.bench.federation;

import java.nio.charset.StandardCharsets;

/** The size of an MQTT 3.1.1 PUBLISH packet on the wire (section 3.3): what the broker takes in per message. */
final class MqttSize {

    private MqttSize() {
    }

    /**
     * @return fixed header (1 byte + the remaining length's 1-4 bytes) + topic (2 + its UTF-8 bytes)
     *         + packet id (2 bytes at QoS 1 and 2) + payload
     */
    static long publish(String topic, int payloadBytes, int qos) {
        long remaining = 2L + topic.getBytes(StandardCharsets.UTF_8).length + (qos > 0 ? 2 : 0) + payloadBytes;
        int lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
        return 1 + lengthBytes + remaining;
    }
}
