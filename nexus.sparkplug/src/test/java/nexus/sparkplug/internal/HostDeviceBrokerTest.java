package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.HostBirthTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertyDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Tag;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;

/**
 * The host's device mirror over a real Mosquitto: the test plays a third-party edge node with devices
 * (its payloads encoded with Eclipse Tahu, as Ignition or a Tahu edge puts them on the wire) — it
 * births a node and a device, sends device data, and answers the host's DCMD writes with a DDATA
 * carrying the write's {@code requestId}.
 */
class HostDeviceBrokerTest {

    private static final Caller ALICE = Caller.of("alice", "http 127.0.0.1");
    private static final String SPEED = "sites/plant/press1/drive/speed";

    @TempDir
    Path folder;

    private final HostFixture.RecordingRegistry registry = new HostFixture.RecordingRegistry();
    private final TahuEdge edge = new TahuEdge("plant", "press1");
    private final List<SparkplugBPayload> commands = new CopyOnWriteArrayList<>();
    private final List<String> commandTopics = new CopyOnWriteArrayList<>();
    private final ExecutorService answers = Executors.newSingleThreadExecutor();
    private volatile boolean answering = true;
    private Broker broker;
    private Federation federation;
    private MqttClient client;

    @AfterEach
    void stop() throws Exception {
        answers.shutdownNow();
        if (federation != null) {
            federation.stop();
        }
        if (client != null && client.isConnected()) {
            client.disconnect();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Starts the host (write timeout 2 s) and the edge's client, which answers DCMD writes while {@link #answering}. */
    private void start() throws Exception {
        broker = Broker.start(folder.resolve("broker"));
        Map<String, Object> properties = new HashMap<>(Map.of("broker.urls", broker.url(), "roles", "host",
                "host.id", "scada", "host.groups", "plant", "host.write.timeout.ms", "2000", "reconnect.min.ms", "50",
                "reconnect.max.ms", "200"));
        Settings settings = Settings.of(properties, folder.toString());
        Counters counters = new Counters();
        federation = new Federation(settings, counters, transport -> null, (transport, builds, thread) ->
                new HostApplication(settings.host(), transport, new Topics(""), counters, () -> registry, builds, thread,
                        Clock.systemUTC()));
        federation.start();
        Await.until("the host is online", () -> federation.status().host().online());

        client = new MqttClient(broker.url(), "tahu-edge-press1", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        client.subscribe("spBv1.0/plant/+/press1/#", 1, (topic, message) -> {
            if (!topic.contains("CMD")) {
                return;
            }
            SparkplugBPayload command = new SparkplugBPayloadDecoder().buildFromByteArray(message.getPayload(), null);
            commandTopics.add(topic);
            commands.add(command);
            if (answering && topic.contains("/DCMD/")) {
                answers.execute(() -> answer(command.getMetrics().get(0)));
            }
        });
    }

    /** The edge carries the write out and answers it: the device's DDATA, the metric by alias, with the requestId. */
    private void answer(Metric written) {
        try {
            PropertySet.PropertySetBuilder set = new PropertySet.PropertySetBuilder();
            set.addProperty("requestId", new PropertyValue<>(PropertyDataType.String,
                    written.getProperties().getPropertyValue("requestId").getValue()));
            set.addProperty("result", new PropertyValue<>(PropertyDataType.String, "OK"));
            Metric answer = new Metric.MetricBuilder(500L, MetricDataType.Double, written.getValue())
                    .properties(set.createPropertySet()).createMetric();
            publish(edge.topic("DDATA", "drive"), edge.device(T0 + 50, answer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized void publish(String topic, byte[] payload) throws Exception {
        client.publish(topic, payload, 1, false);
    }

    private Tag tag(String path) {
        return Await.value("tag " + path + " is contributed", () -> registry.contributions.isEmpty() ? null
                : registry.last().tags().stream().filter(t -> t.path().equals(path)).findFirst().orElse(null));
    }

    private Object value(String path) {
        return HostFixture.value(registry.last(), tag(path), new BlockRead(4096));
    }

    private void born() throws Exception {
        publish(edge.topic("NBIRTH"), edge.birth(3, T0, HostBirthTest.plantMetrics()));
        publish(edge.topic("DBIRTH", "drive"), edge.device(T0 + 1, HostDeviceTest.driveMetrics().toArray(Metric[]::new)));
        tag(SPEED);
    }

    @Test
    void aDeviceIsMirroredAndItsDataTakenIn() throws Exception {
        start();
        born();

        assertThat(value(SPEED)).isEqualTo(1450.0);
        publish(edge.topic("DDATA", "drive"), edge.device(T0 + 2, TahuEdge.byAlias(500, MetricDataType.Double, 1520.0)));
        Await.until("the device data is in the mirror", () -> value(SPEED).equals(1520.0));

        publish(edge.topic("DDEATH", "drive"), edge.device(T0 + 3));
        Await.until("the device is STALE", () -> {
            BlockRead read = new BlockRead(8);
            HostFixture.value(registry.last(), tag(SPEED), read);
            return read.status() == ReadStatus.STALE;
        });
        // The status follows the memory on the Sparkplug thread, right after the message was taken in.
        Await.until("the status counts the STALE device", () -> federation.status().host().nodes().size() == 1
                && federation.status().host().nodes().get(0).devicesStale() == 1);
        assertThat(federation.status().host().nodes()).singleElement().satisfies(n -> {
            assertThat(n.stale()).isFalse();
            assertThat(n.devices()).isEqualTo(1);
            assertThat(n.devicesStale()).isEqualTo(1);
        });
        assertThat(commands).as("nothing was lost: no rebirth request").isEmpty();
    }

    @Test
    void aWriteToADeviceTagIsADcmdAnsweredByTheDevicesDdata() throws Exception {
        start();
        born();
        Tag speed = tag(SPEED);

        Object answered = registry.last().banks().get(speed.allocation().bank()).writer().write(ALICE, speed, 1600.0);

        assertThat(answered).isEqualTo(1600.0);
        assertThat(value(SPEED)).isEqualTo(1600.0);
        assertThat(commandTopics).containsExactly("spBv1.0/plant/DCMD/press1/drive");
        Metric written = commands.get(0).getMetrics().get(0);
        assertThat(written.getName()).isEqualTo("speed");
        assertThat(written.getDataType()).isEqualTo(MetricDataType.Double);
        assertThat(written.getProperties().getPropertyValue("user").getValue()).isEqualTo("alice");
    }

    @Test
    void aDeviceThatDoesNotAnswerLeavesTheWriteOutcomeUnknown() throws Exception {
        start();
        born();
        Tag speed = tag(SPEED);
        answering = false;

        NexusException e = catchThrowableOfType(() -> registry.last().banks().get(speed.allocation().bank()).writer()
                .write(ALICE, speed, 1600.0), NexusException.class);

        assertThat(e.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        assertThat(e.getMessage()).startsWith("no answer from plant/press1/drive within 2000 ms");
        assertThat(commandTopics).containsExactly("spBv1.0/plant/DCMD/press1/drive");
        assertThat(value(SPEED)).isEqualTo(1450.0);
    }
}
