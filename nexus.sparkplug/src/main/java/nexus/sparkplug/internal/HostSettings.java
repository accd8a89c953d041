package nexus.sparkplug.internal;

import java.util.List;
import java.util.Objects;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.TagPath;

/**
 * The host application's part of the configuration, checked.
 *
 * @param hostId     the host application id: its STATE topic is {@code spBv1.0/STATE/<hostId>}
 * @param groups     the Sparkplug groups whose edge nodes are mirrored (at least one)
 * @param prefix     the namespace the mirrors live under: a node's metric {@code m} is the tag
 *                   {@code <prefix>/<group>/<edge node>/m}; empty for {@code <group>/<edge node>/m}
 * @param stringSize the bytes of UTF-8 each String, Text or UUID metric is mirrored in (STRING(n)); a
 *                   longer value is cut ({@link MirrorValues})
 * @param writeTimeoutMs how long a write to a mirrored tag waits for the edge node's answer
 *                   ({@link RemoteWrites}), in ms
 * @param tagsMax    the most tags mirrored over every node: a birth that would pass it is not mirrored
 *                   (a broker client must not be able to fill the host's heap)
 */
record HostSettings(String hostId, List<String> groups, String prefix, int stringSize, int writeTimeoutMs,
        int tagsMax) {

    /** The STRING size when none is configured, in bytes. */
    static final int DEFAULT_STRING_SIZE = 256;
    /** The wait for a write's answer when none is configured, in ms. */
    static final int DEFAULT_WRITE_TIMEOUT_MS = 5000;

    /** The most mirrored tags when none is configured. */
    static final int DEFAULT_TAGS_MAX = 300_000;

    /** Settings with the default write timeout. */
    HostSettings(String hostId, List<String> groups, String prefix, int stringSize) {
        this(hostId, groups, prefix, stringSize, DEFAULT_WRITE_TIMEOUT_MS);
    }

    /** Settings with the default tag limit. */
    HostSettings(String hostId, List<String> groups, String prefix, int stringSize, int writeTimeoutMs) {
        this(hostId, groups, prefix, stringSize, writeTimeoutMs, DEFAULT_TAGS_MAX);
    }

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
        if (problem == null && !prefix.isEmpty() && TagPath.problem(prefix) != null) {
            problem = "host.prefix '" + prefix + "' is no tag path (" + TagPath.problem(prefix) + "): give segments"
                    + " separated by single '/' (e.g. sites)";
        }
        if (problem == null && (stringSize < 1 || stringSize > 65_535)) {
            problem = "host.string.bytes " + stringSize + " is not a STRING size: use 1 to 65535 bytes";
        }
        if (problem == null && writeTimeoutMs < 1) {
            problem = "host.write.timeout.ms " + writeTimeoutMs + " is not a wait: use a positive number of ms (e.g. 5000)";
        }
        if (problem == null && tagsMax < 1) {
            problem = "host.tags.max is " + tagsMax + ": use a positive number of tags";
        }
        if (problem != null) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, problem);
        }
    }

    /**
     * @return the metric name a tag path of the edge node's mirror stands for, or {@code null} when the
     *         path is not under {@code <prefix>/<group>/<edge node>/}
     */
    String metric(String groupId, String edgeNodeId, String path) {
        String under = path(groupId, edgeNodeId, "");
        return path.startsWith(under) && path.length() > under.length() ? path.substring(under.length()) : null;
    }

    /** @return the tag path of an edge node's metric */
    String path(String groupId, String edgeNodeId, String metric) {
        return (prefix.isEmpty() ? "" : prefix + "/") + groupId + "/" + edgeNodeId + "/" + metric;
    }
}
