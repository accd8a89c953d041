package nexus.bench.federation;

import java.util.concurrent.atomic.LongAdder;

/** NDATA counted on its way through the broker: messages, the changes they carry, their MQTT bytes. Thread-safe. */
final class Traffic {

    /** The counts at one moment. */
    record Counts(long messages, long changes, long bytes) {
        Counts minus(Counts earlier) {
            return new Counts(messages - earlier.messages, changes - earlier.changes, bytes - earlier.bytes);
        }

        /** @return MQTT bytes (PUBLISH header and payload) per change; NaN with none */
        double bytesPerChange() {
            return changes == 0 ? Double.NaN : (double) bytes / changes;
        }
    }

    private final LongAdder messages = new LongAdder();
    private final LongAdder changes = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    void count(String topic, int payloadBytes, int qos, int metrics) {
        messages.increment();
        changes.add(metrics);
        bytes.add(MqttSize.publish(topic, payloadBytes, qos));
    }

    Counts now() {
        return new Counts(messages.sum(), changes.sum(), bytes.sum());
    }
}
