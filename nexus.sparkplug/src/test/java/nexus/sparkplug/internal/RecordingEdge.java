package nexus.sparkplug.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import nexus.alarm.AlarmEvent;
import nexus.sparkplug.SparkplugStatus;

/**
 * An edge node that records what the link asks of it, on which thread, and what the link's status
 * was when it went offline. Its NDEATH payloads are {@code death-<session>} as text.
 */
final class RecordingEdge extends EdgeRole {

    /** One call: its name (and argument), the thread it ran on. */
    record Call(String what, String thread) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<SparkplugStatus.Broker> offlineStatus = new CopyOnWriteArrayList<>();
    volatile Supplier<SparkplugStatus.Broker> link = () -> null;
    volatile boolean born;
    volatile String primaryHost;
    volatile boolean primaryHostOnline = true;
    volatile String birthProblem;
    /** How many of the next sessions fail in newSession (and their offline with them). */
    volatile int failingSessions;
    private volatile int sessions;

    private void record(String what) {
        calls.add(new Call(what, Thread.currentThread().getName()));
    }

    /** @return how many calls of this name (the part before a space) were made */
    long count(String what) {
        return calls.stream().filter(c -> c.what().equals(what) || c.what().startsWith(what + " ")).count();
    }

    List<String> names() {
        return calls.stream().map(Call::what).toList();
    }

    @Override
    byte[] newSession() {
        sessions++;
        record("newSession");
        if (failingSessions > 0) {
            failingSessions--;
            throw new IllegalStateException("the edge failed to open session " + sessions);
        }
        return ("death-" + sessions).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    void online() {
        record("online");
    }

    @Override
    void offline() {
        offlineStatus.add(link.get());
        record("offline");
        if (failingSessions > 0) {
            throw new IllegalStateException("the edge failed to go offline");
        }
    }

    @Override
    void primaryHostState(boolean online, long timestamp) {
        record("state " + online + " " + timestamp);
    }

    @Override
    void tick() {
        record("tick");
    }

    @Override
    void command(byte[] payload) {
        record("command " + new String(payload, StandardCharsets.UTF_8));
    }

    @Override
    String rebirth() {
        record("rebirth");
        return "rebirth published";
    }

    @Override
    byte[] stop() {
        record("stop");
        return ("stop-death-" + sessions).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    SparkplugStatus.Edge status() {
        return new SparkplugStatus.Edge("plant", "nexus1", born, sessions, 0, born ? 12 : 0, 0, null, primaryHost,
                primaryHostOnline);
    }

    @Override
    String birthProblem() {
        return birthProblem;
    }

    @Override
    void alarmEvent(AlarmEvent event) {
        record("alarm");
    }
}
