package nexus.sparkplug.internal;

import java.util.Objects;

/**
 * Sparkplug B topics (specification 3.0, chapter 4): {@code spBv1.0/<group>/<type>/<edge node>} for
 * node messages, {@code spBv1.0/<group>/<type>/<edge node>/<device>} for device messages and {@code spBv1.0/STATE/<host id>} for a host application's state, each after the
 * configured topic prefix (usually empty).
 */
final class Topics {

    /** The Sparkplug B namespace element. */
    static final String NAMESPACE = "spBv1.0";

    private final String prefix;

    /** @param prefix prepended to every topic; empty for the specification's topics */
    Topics(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** A node message's topic, parsed. */
    record NodeTopic(String groupId, String type, String edgeNodeId) {
    }

    /** @return the topic of a node message: type NBIRTH, NDATA, NDEATH or NCMD */
    String node(String groupId, String type, String edgeNodeId) {
        return prefix + NAMESPACE + "/" + groupId + "/" + type + "/" + edgeNodeId;
    }

    /** @return the topic of a device message: type DBIRTH, DDATA, DDEATH or DCMD */
    String device(String groupId, String type, String edgeNodeId, String deviceId) {
        return node(groupId, type, edgeNodeId) + "/" + deviceId;
    }

    /** @return the STATE topic of a host application */
    String state(String hostId) {
        return prefix + NAMESPACE + "/STATE/" + hostId;
    }

    /** @return the filter matching every node message of a group (all types, all edge nodes) */
    String groupFilter(String groupId) {
        return prefix + NAMESPACE + "/" + groupId + "/+/+";
    }

    /**
     * @return the node message this topic names, or {@code null} when it is not one (a STATE topic, a
     *         device message, another namespace or prefix)
     */
    NodeTopic parseNode(String topic) {
        if (!topic.startsWith(prefix + NAMESPACE + "/")) {
            return null;
        }
        String[] parts = topic.substring(prefix.length() + NAMESPACE.length() + 1).split("/", -1);
        if (parts.length != 3 || parts[0].equals("STATE") || parts[0].isEmpty() || parts[2].isEmpty()
                || !parts[1].startsWith("N")) {
            return null;
        }
        return new NodeTopic(parts[0], parts[1], parts[2]);
    }

    /** A device message's topic, parsed. */
    record DeviceTopic(String groupId, String type, String edgeNodeId, String deviceId) {
    }

    /**
     * @return the device message this topic names ({@code spBv1.0/<group>/D.../<edge node>/<device>}),
     *         or {@code null} when it is not one
     */
    DeviceTopic parseDevice(String topic) {
        if (!topic.startsWith(prefix + NAMESPACE + "/")) {
            return null;
        }
        String[] parts = topic.substring(prefix.length() + NAMESPACE.length() + 1).split("/", -1);
        if (parts.length != 4 || parts[0].equals("STATE") || parts[0].isEmpty() || parts[2].isEmpty()
                || parts[3].isEmpty() || !parts[1].startsWith("D")) {
            return null;
        }
        return new DeviceTopic(parts[0], parts[1], parts[2], parts[3]);
    }

    /**
     * @param what  what the id is, for the message: {@code group.id}
     * @param value the id
     * @return why the value cannot be a Sparkplug id (group, edge node or host application id), or
     *         {@code null} when it can: non-empty, no {@code /}, {@code +} or {@code #}, no control
     *         characters
     */
    static String idProblem(String what, String value) {
        if (value == null || value.isBlank()) {
            return what + " is empty: name it (letters, digits, '-', '_', '.')";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '+' || c == '#' || Character.isISOControl(c)) {
                return what + " '" + value + "' holds '" + (Character.isISOControl(c) ? "a control character" : c)
                        + "', which a Sparkplug id may not: use letters, digits, '-', '_', '.'";
            }
        }
        return null;
    }
}
