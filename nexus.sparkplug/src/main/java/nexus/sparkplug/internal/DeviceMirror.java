package nexus.sparkplug.internal;

import java.time.Clock;
import java.util.Iterator;
import java.util.function.ToIntFunction;

import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host application's mirror of the devices of remote edge nodes (Sparkplug 3.0 DBIRTH, DDATA,
 * DDEATH): each device's metrics are tags at {@code <prefix>/<group>/<edge node>/<device>/<metric>}, in
 * a bank of their own ({@link RemoteDevice}, one {@link MirrorMemory} per device).
 *
 * <p>A device lives in its node's session. {@link HostApplication} checks each device message's place in
 * the node's {@code seq} first (a gap makes the node and all its devices STALE and asks the node for a
 * rebirth) and hands only the messages of a born, current node here:
 * <ul>
 * <li>DBIRTH: the device's metrics, read as a node's birth but without a bdSeq. The same mirrored
 * metric set reuses the device's memory (no new registry version); another one is a new memory (a new
 * bank name). At most {@value #MAX_DEVICES} devices per node; a birth of more is counted as malformed,
 * logged once, not mirrored. Device metrics count in {@code host.tags.max} with the node metrics.</li>
 * <li>DDATA: taken in as NDATA is (is_null, a datatype mismatch, an unknown alias or name: counted,
 * logged once, not written; the device STALE until its next DBIRTH, a node rebirth requested). DDATA of
 * a device never born in the node's current session: counted malformed, logged once, node rebirth
 * requested. Of a device that died or went STALE: a node rebirth requested.</li>
 * <li>DDEATH: that device STALE (its values keep their last ones), offline; the node and its other
 * devices stay as they are.</li>
 * <li>The node's NBIRTH ({@link #nodeBorn}): every device STALE and offline until its own DBIRTH comes
 * again. A device that had no DBIRTH in the whole session that this NBIRTH ends (it did not come back
 * after the previous NBIRTH) is dropped from the mirror: its tags leave the namespace.</li>
 * <li>The node's NDEATH ({@link #nodeDied}): every device offline (the node's STALE covers its devices).</li>
 * </ul>
 * Host (Sparkplug) thread only.
 */
final class DeviceMirror {

    /** The most devices of one node the host mirrors; births of more are ignored (counted, logged once). */
    static final int MAX_DEVICES = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(DeviceMirror.class);

    private final HostSettings settings;
    private final MirrorIntake intake;
    private final RebirthRequests rebirths;
    private final RemoteWrites writes;
    private final Clock clock;
    private final ToIntFunction<Object> mirroredBesides;
    private final Runnable offer;

    /**
     * @param mirroredBesides the tags mirrored now by every node and device but the one given (or all
     *                        when it is {@code null})
     * @param offer           offers every mirror to the registry again
     */
    DeviceMirror(HostSettings settings, MirrorIntake intake, RebirthRequests rebirths, RemoteWrites writes, Clock clock,
            ToIntFunction<Object> mirroredBesides, Runnable offer) {
        this.settings = settings;
        this.intake = intake;
        this.rebirths = rebirths;
        this.writes = writes;
        this.clock = clock;
        this.mirroredBesides = mirroredBesides;
        this.offer = offer;
    }

    /** A device message that is the next one of its node's current session (its seq was checked). */
    void message(RemoteNode node, String deviceId, String type, Payload payload) {
        switch (type) {
            case "DBIRTH" -> birth(node, deviceId, payload);
            case "DDATA" -> data(node, deviceId, payload);
            default -> death(node, deviceId);
        }
        node.publishStatus();
    }

    /**
     * The node was born again: devices without a DBIRTH in the session that ended are dropped, the
     * others are STALE and offline until their own DBIRTH.
     *
     * @return whether a device was dropped (the mirrors changed)
     */
    boolean nodeBorn(RemoteNode node) {
        boolean dropped = false;
        for (Iterator<RemoteDevice> it = node.devices.values().iterator(); it.hasNext();) {
            RemoteDevice device = it.next();
            writes.abandon(device, node.id() + " was born again before " + device.id() + " answered");
            device.online = false;
            device.stale();
            if (!device.bornThisSession) {
                it.remove();
                dropped = true;
                LOG.info("Sparkplug host: device {} had no DBIRTH in the last session of its node: its mirror is"
                        + " dropped (its tags leave the namespace; a DBIRTH brings them back)", device.id());
            }
            device.bornThisSession = false;
            device.publishStatus();
        }
        return dropped;
    }

    /** The node died: so did its devices (their mirrors went STALE with the node's). */
    void nodeDied(RemoteNode node) {
        for (RemoteDevice device : node.devices.values()) {
            device.online = false;
            device.publishStatus();
        }
    }

    private void birth(RemoteNode node, String deviceId, Payload payload) {
        String id = node.id() + "/" + deviceId;
        String problem = Topics.idProblem("the device id", deviceId);
        if (problem == null && (deviceId.equals(".") || deviceId.equals(".."))) {
            problem = "the device id '" + deviceId + "' would read as a path elsewhere";
        }
        if (problem != null) {
            intake.malformed(id, "device id", "its DBIRTH is not mirrored: " + problem);
            return;
        }
        RemoteDevice device = node.devices.get(deviceId);
        if (device == null && node.devices.size() >= MAX_DEVICES) {
            intake.malformed(node.id(), "too many devices", "it has " + MAX_DEVICES + " devices mirrored, the most"
                    + " one node may have; the birth of " + id + " and of every further device is not mirrored");
            return;
        }
        RemoteBirth birth = RemoteBirth.read(payload, false, settings.path(node.groupId, node.edgeNodeId, deviceId + "/"));
        intake.skipped(id, birth);
        int others = mirroredBesides.applyAsInt(device);
        if (others + birth.mirrored().size() > settings.tagsMax()) {
            if (device != null) {
                device.stale();
                device.publishStatus();
            }
            intake.malformed(id, "too many tags", "its DBIRTH would mirror " + birth.mirrored().size() + " tags beside"
                    + " the " + others + " of the other nodes and devices, more than host.tags.max ("
                    + settings.tagsMax() + "): it is not mirrored (its last mirror, if any, is STALE); raise"
                    + " host.tags.max and the heap with it");
            return;
        }
        if (device == null) {
            device = new RemoteDevice(node, deviceId);
            device.writer = writes.writer(device);
            node.devices.put(deviceId, device);
        }
        MirrorLayout layout = MirrorLayout.of(birth.mirrored().stream().map(RemoteBirth.Born::shape).toList(),
                settings.stringSize());
        if (!layout.sameShapes(device.layout)) {
            if (device.memory != null) {
                device.memory.markStale();
            }
            device.layout = layout;
            device.memory = layout.slots().isEmpty() ? null : new MirrorMemory(layout.end());
        }
        device.birth = birth;
        device.online = true;
        device.awaitingBirth = false;
        device.bornThisSession = true;
        device.lastBirth = clock.instant();
        intake.birth(device.target(), "DBIRTH");
        device.publishStatus();
        offer.run();
    }

    private void data(RemoteNode node, String deviceId, Payload payload) {
        RemoteDevice device = node.devices.get(deviceId);
        if (device == null || !device.bornThisSession) {
            String id = node.id() + "/" + deviceId;
            intake.malformed(id, "data without birth", "its DDATA came from a device not born in the node's current"
                    + " session: nothing is mirrored from it until its DBIRTH, which a node rebirth brings");
            rebirths.request(node, "DDATA of device " + id + ", which has no DBIRTH in the node's session");
            return;
        }
        if (device.awaitingBirth) {
            rebirths.request(node, "DDATA came while the mirror of device " + device.id() + " is STALE");
            return;
        }
        MirrorIntake.Taken taken = intake.data(device.target(), "DDATA", payload);
        if (taken.unusable()) {
            // what could not be taken in may have changed: nothing of the device is current until its DBIRTH
            device.stale();
            rebirths.request(node, "the DDATA of device " + device.id() + " named metrics its DBIRTH does not have,"
                    + " or values not of their datatype");
        }
        device.publishStatus();
        for (Metric answer : taken.answers()) { // after the values are in: the writer reads its answer back
            RemoteBirth.Known known = answer.hasAlias() ? device.birth.byAlias(answer.getAlias())
                    : device.birth.byName(answer.getName());
            writes.answer(node, device, answer, known == null ? null : known.datatype());
        }
    }

    private void death(RemoteNode node, String deviceId) {
        RemoteDevice device = node.devices.get(deviceId);
        if (device == null) {
            LOG.debug("Sparkplug host: DDEATH of device {}/{}, which has no mirror here: ignored", node.id(), deviceId);
            return;
        }
        device.online = false;
        device.stale();
        device.publishStatus();
        writes.abandon(device, device.id() + " died before it answered");
        LOG.info("Sparkplug host: device {} died: its mirror is STALE until its next DBIRTH", device.id());
    }
}
