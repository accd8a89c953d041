package nexus.sparkplug.internal;

import java.time.Instant;

import nexus.registry.RemoteWriter;

/**
 * What the host application knows of one device of a remote edge node: its current DBIRTH, its mirror
 * (a bank of its own), and whether the mirror is current. A device lives in its node's session: it has
 * no bdSeq and no seq of its own. Fields are the Sparkplug thread's; {@link #current()} may be read
 * from any thread.
 */
final class RemoteDevice {

    final RemoteNode node;
    final String deviceId;
    /** Carries writes to the device's mirrored tags out at the device (DCMD); set when it is made. */
    RemoteWriter writer;
    /** The birth in force, or {@code null} before the first one. */
    RemoteBirth birth;
    /** The layout of the mirror, or {@code null} before the first birth. */
    MirrorLayout layout;
    /** The mirror's memory, or {@code null} when no metric is mirrored. */
    MirrorMemory memory;
    /** Whether the device is born in the node's current session and has not died (DDEATH, NDEATH). */
    boolean online;
    /** Whether data is ignored until the device's next DBIRTH: the mirror is STALE then. */
    boolean awaitingBirth = true;
    /** Whether a DBIRTH came since the node's last NBIRTH (a device with none for a whole session is dropped). */
    boolean bornThisSession;
    Instant lastBirth;
    private volatile boolean statusOnline;
    private volatile boolean statusStale = true;

    RemoteDevice(RemoteNode node, String deviceId) {
        this.node = node;
        this.deviceId = deviceId;
    }

    /** @return {@code group/edge node/device}, for messages */
    String id() {
        return node.id() + "/" + deviceId;
    }

    /** The values are no longer current: STALE until the device's next DBIRTH, whose data alone is taken in. */
    void stale() {
        awaitingBirth = true;
        if (memory != null) {
            memory.markStale();
        }
    }

    /** Makes what {@link #current()} answers follow the fields; after every change. */
    void publishStatus() {
        statusOnline = online;
        statusStale = awaitingBirth;
    }

    /** @return whether the device is online and its mirror current, as last published; any thread */
    boolean current() {
        return statusOnline && !statusStale;
    }

    /** @return the mirror values and birth, for {@link MirrorIntake} */
    MirrorIntake.Target target() {
        return new MirrorIntake.Target(id(), birth, layout, memory);
    }

    /** @return the device's mirror for the contribution, or {@code null} when it mirrors nothing */
    MirrorContribution.Mirror mirror() {
        return memory == null ? null
                : new MirrorContribution.Mirror(node.groupId, node.edgeNodeId, deviceId, layout, memory, writer);
    }
}
