package nexus.sparkplug.internal;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.NexusException;
import nexus.rma.Allocation;

/**
 * Takes the values of a birth or a data message into one mirror — an edge node's (NBIRTH, NDATA) or
 * one of its devices' (DBIRTH, DDATA): the same rules for both. All values of one message are one
 * snapshot of the mirror's memory. A metric by an alias never born, a name not in the birth, or a
 * value not of its datatype is counted ({@link Counters#malformed}), logged once per mirror and cause,
 * and not written; the caller decides what follows (the mirror goes STALE, a rebirth is requested).
 * A {@code null} value (is_null) leaves the mirrored value as it was, marked invalid (read STALE).
 * Host (Sparkplug) thread only.
 */
final class MirrorIntake {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorIntake.class);

    /** Payload timestamps from here on are not believed: they would overflow ns since the epoch. */
    private static final long MAX_TIMESTAMP_MS = Long.MAX_VALUE / 1_000_000L;

    /** One mirror's current birth, layout and memory (the memory {@code null} when nothing is mirrored). */
    record Target(String id, RemoteBirth birth, MirrorLayout layout, MirrorMemory memory) {
    }

    /**
     * What a data message left: whether some of it could not be taken in, and its metrics that answer
     * writes ({@link RemoteWrites#isAnswer}), to hand on once the values are in.
     */
    record Taken(boolean unusable, List<Metric> answers) {
    }

    private final HostSettings settings;
    private final Counters counters;
    private final Clock clock;
    private final OnceLog logged;

    MirrorIntake(HostSettings settings, Counters counters, Clock clock, OnceLog logged) {
        this.settings = settings;
        this.counters = counters;
        this.clock = clock;
        this.logged = logged;
    }

    /** Logs the metrics a birth does not mirror, once per mirror and cause. */
    void skipped(String id, RemoteBirth birth) {
        for (RemoteBirth.Skipped skipped : birth.skipped()) {
            if (logged.first(id + " skipped " + skipped.cause())) {
                LOG.info("Sparkplug host: metric '{}' of {} is not mirrored: {} (logged once per mirror and cause)",
                        OnceLog.printable(skipped.name()), OnceLog.printable(id), OnceLog.printable(skipped.cause()));
            }
        }
    }

    /** Writes a birth's values into its mirror as one snapshot stamped with the birth's timestamp. */
    void birth(Target target, String type) {
        if (target.memory() == null) {
            return;
        }
        ByteBuffer draft = target.memory().draft();
        for (RemoteBirth.Born born : target.birth().mirrored()) {
            write(target, draft, born.shape(), born.metric(), type);
        }
        target.memory().publish(draft, nanos(target.birth().timestamp()));
    }

    /** Writes a data message's values into its mirror as one snapshot; counts its lag. */
    Taken data(Target target, String type, Payload payload) {
        ByteBuffer draft = null;
        boolean unusable = false;
        List<Metric> answers = new ArrayList<>();
        RemoteBirth birth = target.birth();
        for (Metric metric : payload.getMetricsList()) {
            RemoteBirth.Known known = metric.hasAlias() ? birth.byAlias(metric.getAlias())
                    : metric.hasName() ? birth.byName(metric.getName()) : null;
            if (RemoteWrites.isAnswer(metric)) {
                answers.add(metric);
                if (known == null) {
                    continue; // the answer to a write of a metric the mirror no longer has: no data
                }
            }
            if (known == null) {
                unusable = true;
                malformed(target.id(), metric.hasAlias() ? "alias never born" : "name not in birth",
                        "its " + type + " names " + (metric.hasAlias() ? "alias " + metric.getAlias() : metric.hasName()
                                ? "metric '" + metric.getName() + "'" : "a metric by neither name nor alias")
                                + ", which its birth does not have");
                continue;
            }
            if (known.shape() == null) {
                continue;
            }
            if (metric.getDatatype() != 0 && metric.getDatatype() != known.datatype().getNumber()) {
                unusable = true;
                malformed(target.id(), "datatype mismatch", "its " + type + " gives metric '" + known.name()
                        + "' datatype " + DataType.forNumber(metric.getDatatype()) + ", its birth " + known.datatype());
                continue;
            }
            if (draft == null) {
                draft = target.memory().draft();
            }
            unusable |= !write(target, draft, known.shape(), metric, type);
        }
        if (draft != null) {
            target.memory().publish(draft, nanos(payload.hasTimestamp() ? payload.getTimestamp() : 0));
        }
        if (payload.hasTimestamp()) {
            long lag = clock.millis() - payload.getTimestamp();
            counters.mirrorLagMillis.set(lag);
            counters.mirrorLag.record(lag);
        }
        return new Taken(unusable, answers);
    }

    /** @return whether the value was written (or was null); false when it does not suit its metric */
    private boolean write(Target target, ByteBuffer draft, MirrorLayout.Shape shape, Metric metric, String type) {
        Allocation at = target.layout().slot(shape.name()).allocation();
        try {
            Object value = DataTypes.value(metric, shape.datatype());
            target.memory().valid(at, value != null); // is_null: the tag is BAD at the edge, never GOOD here
            if (value != null && MirrorValues.put(draft, at, value)
                    && logged.first(target.id() + " cut " + shape.name())) {
                LOG.info("Sparkplug host: metric '{}' of {} is longer than its mirror's {} bytes: it is mirrored cut"
                        + " (logged once per metric)", shape.name(), target.id(), settings.stringSize());
            }
            return true;
        } catch (IllegalArgumentException | NexusException e) {
            target.memory().valid(at, false); // what was not taken in has no current value here
            malformed(target.id(), "datatype mismatch", "its " + type + " gives metric '" + shape.name()
                    + "' a value that does not suit it: " + e.getMessage());
            return false;
        }
    }

    /** Counts a message (or part of one) that could not be used; logs it once per mirror and cause. */
    void malformed(String id, String cause, String message) {
        counters.malformed.increment();
        if (logged.first(id + " " + cause)) {
            LOG.warn("Sparkplug host: {}: {} (counted as malformed; logged once per node or device and cause)",
                    OnceLog.printable(id), OnceLog.printable(message));
        }
    }

    /** @return a payload timestamp (ms) as the memory's last write time (ns); ours when the payload has none */
    long nanos(long millis) {
        // a timestamp no clock can give (before 1970, or past what ns since 1970 hold: 2262) is not believed
        return (millis > 0 && millis < MAX_TIMESTAMP_MS ? millis : clock.millis()) * 1_000_000L;
    }
}
