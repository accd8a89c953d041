package nexus.sparkplug.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import nexus.registry.RemoteWriter;
import nexus.sparkplug.SparkplugStatus;

/**
 * What the host application knows of one remote edge node: its current birth and session, its
 * mirror, and whether the mirror is current. Fields are the Sparkplug thread's;
 * {@link #status()} may be read from any thread.
 */
final class RemoteNode {

    final String groupId;
    final String edgeNodeId;
    /** Carries writes to the node's mirrored tags out at the node; set once, when the host first hears it. */
    RemoteWriter writer;
    /** The birth in force, or {@code null} before the first one. */
    RemoteBirth birth;
    /** The layout of the mirror, or {@code null} before the first birth. */
    MirrorLayout layout;
    /** The mirror's memory, or {@code null} when no metric is mirrored. */
    MirrorMemory memory;
    /** The sequence number of the last message of the session taken in. */
    int seq;
    /** Whether the session is born and has not died. */
    boolean online;
    /**
     * Whether data is ignored until the next NBIRTH (no birth yet, a gap, a death, our own offline):
     * the mirror is STALE then.
     */
    boolean awaitingBirth = true;
    /** When a rebirth was last requested (ms since the epoch), or {@code null} since the last birth. */
    Long rebirthRequested;
    long gaps;
    Instant lastBirth;
    /** The node's devices heard since the host started, by device id (Sparkplug thread only). */
    final Map<String, RemoteDevice> devices = new LinkedHashMap<>();
    private volatile SparkplugStatus.RemoteNodeStatus status;

    RemoteNode(String groupId, String edgeNodeId) {
        this.groupId = groupId;
        this.edgeNodeId = edgeNodeId;
        publishStatus();
    }

    /** @return {@code group/edge node}, for messages */
    String id() {
        return groupId + "/" + edgeNodeId;
    }

    /**
     * The values are no longer current: STALE until the next birth, whose data alone is taken in; so
     * are every device's (a device's values are current only while its node's are).
     */
    void stale() {
        awaitingBirth = true;
        if (memory != null) {
            memory.markStale();
        }
        for (RemoteDevice device : devices.values()) {
            device.stale();
            device.publishStatus();
        }
    }

    /** Makes what {@link #status()} answers follow the fields; after every change. */
    void publishStatus() {
        int stale = 0;
        for (RemoteDevice device : devices.values()) {
            stale += device.awaitingBirth ? 1 : 0;
        }
        status = new SparkplugStatus.RemoteNodeStatus(groupId, edgeNodeId, online, awaitingBirth,
                birth == null ? -1 : (int) birth.bdSeq(), lastBirth, layout == null ? 0 : layout.slots().size(),
                birth == null ? 0 : birth.skipped().size(), gaps, memory == null ? null : memory.bankName(),
                devices.size(), stale);
    }

    /** @return the node as the status says it; any thread */
    SparkplugStatus.RemoteNodeStatus status() {
        return status;
    }

    /** @return the mirror values and birth, for {@link MirrorIntake} */
    MirrorIntake.Target target() {
        return new MirrorIntake.Target(id(), birth, layout, memory);
    }

    /** @return the node's mirror for the contribution, or {@code null} when it mirrors nothing */
    MirrorContribution.Mirror mirror() {
        return memory == null ? null : new MirrorContribution.Mirror(groupId, edgeNodeId, layout, memory, writer);
    }
}
