package nexus.sparkplug.internal;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.SparkplugBPayload;

import nexus.alarm.AlarmService;
import nexus.core.Caller;
import nexus.query.Deadband;
import nexus.query.TagService;

/**
 * An edge node of group {@code plant}, node {@code nexus1}, over a {@link FakeTagService}, a
 * {@link FakeAlarmService} and a {@link RecordingTransport}, with a clock the test moves.
 */
final class EdgeFixture {

    static final Caller IDENTITY = Caller.of("sparkplug", Set.of("viewer"), "sparkplug");

    final FakeTagService tags = new FakeTagService();
    final FakeAlarmService alarmService = new FakeAlarmService();
    final AtomicReference<TagService> tagRef = new AtomicReference<>(tags);
    final AtomicReference<AlarmService> alarmRef = new AtomicReference<>(alarmService);
    final RecordingTransport transport = new RecordingTransport();
    final Counters counters = new Counters();
    final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    String primaryHost;
    double deadbandAbsolute;
    double deadbandPercent;
    boolean alarms = true;
    int metricsMax = 1_000;
    int qos;
    Path home;

    EdgeSettings settings() {
        return new EdgeSettings("plant", "nexus1", IDENTITY, primaryHost, 100,
                new Deadband(deadbandAbsolute, deadbandPercent), 10_000, alarms, metricsMax, qos);
    }

    EdgeNode node() {
        EdgeSettings settings = settings();
        Commands commands = new Commands(settings, tagRef::get, () -> null, counters, now::get);
        return new EdgeNode(settings, new Topics(""), transport, tagRef::get, alarmRef::get, commands, counters, home,
                now::get);
    }

    /** @return a node connected in its first session: born unless a primary host is configured */
    EdgeNode online() {
        EdgeNode node = node();
        node.newSession();
        node.online();
        return node;
    }

    static Metric metric(SparkplugBPayload payload, String name) {
        return payload.getMetrics().stream().filter(m -> name.equals(m.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + payload));
    }

    static Metric alias(SparkplugBPayload payload, long alias) {
        return payload.getMetrics().stream().filter(m -> m.hasAlias() && m.getAlias() == alias).findFirst()
                .orElseThrow(() -> new AssertionError("no metric with alias " + alias + " in " + payload));
    }

    static Object property(Metric metric, String key) {
        return metric.getProperties() == null || metric.getProperties().getPropertyValue(key) == null ? null
                : metric.getProperties().getPropertyValue(key).getValue();
    }
}
