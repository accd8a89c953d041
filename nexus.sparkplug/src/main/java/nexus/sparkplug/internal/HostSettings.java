package nexus.sparkplug.internal;

import java.util.List;
import java.util.Objects;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The host application's part of the configuration, checked.
 *
 * @param hostId     the host application id: its STATE topic is {@code spBv1.0/STATE/<hostId>}
 * @param groups     the Sparkplug groups whose edge nodes are mirrored (at least one)
 * @param prefix     the namespace the mirrors live under: a node's metric {@code m} is the tag
 *                   {@code <prefix>/<group>/<edge node>/m}; empty for {@code <group>/<edge node>/m}
 * @param stringSize the bytes of UTF-8 each String, Text or UUID metric is mirrored in (STRING(n)); a
 *                   longer value is cut ({@link MirrorValues})
 */
record HostSettings(String hostId, List<String> groups, String prefix, int stringSize) {

    /** The STRING size when none is configured, in bytes. */
    static final int DEFAULT_STRING_SIZE = 256;

    /** @throws NexusException INVALID_ARGUMENT naming what is wrong and how to fix it */
    HostSettings {
        Objects.requireNonNull(prefix, "prefix");
        groups = List.copyOf(groups);
        String problem = Topics.idProblem("host.id", hostId);
        if (problem == null && groups.isEmpty()) {
            problem = "host.groups is empty: name the Sparkplug groups whose edge nodes the host mirrors";
        }
        for (int i = 0; problem == null && i < groups.size(); i++) {
            problem = Topics.idProblem("host.groups entry", groups.get(i));
        }
        if (problem == null && !prefix.isEmpty() && RemoteBirth.pathProblem(prefix) != null) {
            problem = "host.prefix '" + prefix + "' is no tag path: no leading or trailing '/', no empty segment"
                    + " (e.g. sites)";
        }
        if (problem == null && (stringSize < 1 || stringSize > 65_535)) {
            problem = "host.string.bytes " + stringSize + " is not a STRING size: use 1 to 65535 bytes";
        }
        if (problem != null) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, problem);
        }
    }

    /** @return the tag path of an edge node's metric */
    String path(String groupId, String edgeNodeId, String metric) {
        return (prefix.isEmpty() ? "" : prefix + "/") + groupId + "/" + edgeNodeId + "/" + metric;
    }
}
