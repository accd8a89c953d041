package nexus.stream.internal;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmFilter;
import nexus.core.Access;
import nexus.stream.StreamInfo.SubscriptionInfo;

/**
 * One client's follow of the alarm feed: the first message (the current list, or the answer to a
 * resume), then one {@code alarm} message per event of the {@link AlarmRing} that matches the filter
 * and whose tag the caller sees.
 *
 * <p>It holds a cursor into the ring, not a queue: events are taken from the ring when the
 * connection asks for the next message, so a slow client costs no memory; it only risks that the
 * ring overwrites events it has not taken. {@link #behind()} says so while they are still there,
 * when its oldest unsent event is about to be overwritten (less than a tenth of the ring is left
 * before it is) and it does not catch up (its backlog did not shrink since the housekeeping's last
 * look, which also found it at risk): the connection closes with 4008 and the client resumes
 * without a gap. A storm that fills most of the ring closes no client that reads through it.
 *
 * <p>An event matches when the filter matches the alarm in the state before or after it: a client
 * that follows {@code UNACK_ALARM} also learns that an alarm left that state. Whether the caller
 * sees the tag is asked per event, so a change of roles applies from the next event on.
 *
 * <p>Thread-safe: the connection may call {@link #next} from any thread (one call at a time is taken,
 * under a lock the ring's publisher never takes); {@link #info()} reads volatile state;
 * {@link #behind()} is the housekeeping's (one thread).
 */
final class AlarmSubscription implements Subscription {

    private final String id;
    private final AlarmFilter filter;
    private final Supplier<Access> access;
    private final AlarmRing ring;
    private final Wake wake;
    private final int items;
    /** Whether it waits in the ring for the next event: one wait at a time, one wake per wait. */
    private final AtomicBoolean parked = new AtomicBoolean();
    /** What the ring calls when it is parked: one object, so that the ring can forget it. */
    private final Wake unparker = this::unpark;
    /** Taken by {@link #next} only. */
    private final Object taking = new Object();
    /** The first message until it is taken. Guarded by {@link #taking}. */
    private Outgoing first;
    /** The last sequence taken from the ring (sent, or skipped as not matching). */
    private volatile long cursor;
    /** The seq of the last message made. */
    private volatile long sequence;
    private volatile boolean closed;
    /** The backlog at the last {@link #behind()} that found it at risk, or -1 (not at risk then). Housekeeping's own. */
    private long riskyBacklog = -1;

    private AlarmSubscription(String id, AlarmFilter filter, Supplier<Access> access, AlarmRing ring, Wake wake,
            Outgoing first, long cursor, int items) {
        this.id = id;
        this.filter = filter;
        this.access = access;
        this.ring = ring;
        this.wake = wake;
        this.first = first;
        this.cursor = cursor;
        this.items = items;
    }

    /**
     * Starts a subscription: resumes after {@code from} when the ring holds every event since (in this
     * run), otherwise takes the ring's position and then the current list, so that no event is
     * missed (one that happens meanwhile may be both in the list and sent after it).
     *
     * @param from where the client resumes, or null for a new subscription
     * @param list the current list of the alarms that match and that the caller sees
     */
    static AlarmSubscription start(JsonNode requestId, String id, AlarmFilter filter, AlarmSubscriptions.Resume from,
            Supplier<List<Alarm>> list, Supplier<Access> access, AlarmRing ring, Wake wake) {
        String run = ring.run();
        String gap = from == null ? null : gap(from, ring);
        if (from != null && gap == null) {
            Outgoing answer = new Outgoing(AlarmMessages.resumed(requestId, id, run, from.sequence()),
                    AlarmMessages.resumeId(run, from.sequence()));
            return new AlarmSubscription(id, filter, access, ring, wake, answer, from.sequence(), 0);
        }
        long position = ring.last(); // before the list: an event after it is sent, even if the list shows it already
        List<Alarm> alarms = list.get();
        Outgoing answer = new Outgoing(AlarmMessages.list(requestId, id, run, position, alarms, gap, Instant.now()),
                AlarmMessages.resumeId(run, position));
        return new AlarmSubscription(id, filter, access, ring, wake, answer, position, alarms.size());
    }

    /** @return why the client cannot resume from there, in plain words; null when it can */
    private static String gap(AlarmSubscriptions.Resume from, AlarmRing ring) {
        if (!from.run().equals(ring.run())) {
            return "the node restarted (run " + from.run() + " is over): here is the current list";
        }
        long last = ring.last();
        if (from.sequence() > last) {
            return "sequence " + from.sequence() + " was never sent in run " + from.run() + " (the last is " + last
                    + "): here is the current list";
        }
        if (!ring.holdsAfter(from.sequence())) {
            return "the node keeps the last " + ring.size() + " alarm events and you missed more (you saw "
                    + from.sequence() + ", the oldest kept is " + ring.oldest() + "): here is the current list";
        }
        return null;
    }

    @Override
    public String id() {
        return id;
    }

    /**
     * @return the first message; then the next event that matches and that the caller sees, stepping
     *         over the others; {@code null} when it has taken every event published (it then waits
     *         for the next one, which wakes the connection), when its next event has left the ring
     *         ({@link #behind()} says so), or once closed
     */
    @Override
    public Outgoing next(long nowNanos) {
        synchronized (taking) {
            if (closed) {
                return null;
            }
            if (first != null) {
                Outgoing message = first;
                first = null;
                sequence = 1;
                return message;
            }
            while (true) {
                long wanted = cursor + 1;
                AlarmRing.Entry entry = ring.entry(wanted);
                if (entry == null) {
                    if (wanted >= ring.oldest()) {
                        park();
                    }
                    return null;
                }
                cursor = wanted;
                if (matches(entry.event())) {
                    sequence = sequence + 1;
                    return new Outgoing(AlarmMessages.alarm(id, sequence, ring.run(), entry),
                            AlarmMessages.resumeId(ring.run(), wanted));
                }
            }
        }
    }

    private boolean matches(AlarmEvent e) {
        if (!filter.matches(e.after(), e.severity(), e.alarm(), e.tag())
                && !filter.matches(e.before(), e.severity(), e.alarm(), e.tag())) {
            return false;
        }
        Access now = access.get();
        return e.tag() == null ? now.seesAll() : now.sees(e.tag());
    }

    private void park() {
        if (parked.compareAndSet(false, true)) {
            ring.wakeAfter(cursor, unparker);
        }
    }

    private void unpark() {
        if (parked.compareAndSet(true, false) && !closed) {
            wake.wake();
        }
    }

    @Override
    public long sequence() {
        return sequence;
    }

    /**
     * Called by the housekeeping only (about every 250 ms).
     *
     * @return a reason when events it has not taken have left the ring, or when they are about to
     *         (fewer than a tenth of the ring's size, at least one, are left before the oldest of them
     *         is overwritten) at this look and the last one, and the backlog did not shrink between
     *         the two (the client is not catching up); null otherwise
     */
    @Override
    public String behind() {
        if (closed) {
            return null;
        }
        long taken = cursor;
        if (taken + 1 < ring.oldest()) {
            return "the client did not read its alarm events in time: those after sequence " + taken
                    + " have left the node's ring of " + ring.size() + "; reconnect and resume (you will be told of the gap)";
        }
        long waiting = ring.last() - taken;
        long margin = Math.max(1, ring.size() / 10);
        if (waiting <= ring.size() - margin) {
            riskyBacklog = -1;
            return null;
        }
        long before = riskyBacklog;
        riskyBacklog = waiting;
        if (before < 0 || waiting < before) {
            return null; // at risk since this look, or catching up: give it until the next one
        }
        return "the client did not read its alarm events: " + waiting + " are waiting and the node keeps the last "
                + ring.size() + "; reconnect at once and resume from sequence " + taken + " to get them";
    }

    /**
     * @return kind {@code alarms}, the filter as target, the alarms of the first list as items (0 after
     *         a resume), the events published after its cursor as queued (matching or not)
     */
    @Override
    public SubscriptionInfo info() {
        long queued = Math.max(0, ring.last() - cursor);
        return new SubscriptionInfo(id, "alarms", target(filter), items, (int) Math.min(Integer.MAX_VALUE, queued),
                sequence, 0);
    }

    @Override
    public void close() {
        closed = true;
        ring.forget(unparker);
    }

    /** @return the filter in words: {@code states UNACK_ALARM; severities HIGH, CRITICAL; prefix site1/} */
    static String target(AlarmFilter filter) {
        StringBuilder text = new StringBuilder();
        append(text, "states", filter.states());
        append(text, "severities", filter.severities());
        if (filter.prefix() != null) {
            text.append(text.isEmpty() ? "" : "; ").append("prefix ").append(filter.prefix());
        }
        return text.isEmpty() ? "all alarms" : text.toString();
    }

    private static void append(StringBuilder text, String name, Set<? extends Enum<?>> values) {
        if (!values.isEmpty()) {
            text.append(text.isEmpty() ? "" : "; ").append(name).append(' ')
                    .append(values.stream().sorted(Comparator.comparingInt(Enum::ordinal)).map(Enum::name)
                            .collect(Collectors.joining(", ")));
        }
    }
}
