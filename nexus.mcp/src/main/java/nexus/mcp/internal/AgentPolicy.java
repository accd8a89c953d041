package nexus.mcp.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;

/**
 * What the adapter lets agents change, on top of what the caller's role allows: tag path globs for
 * {@code write_tag} ({@code write.tags}) and for the tags of the alarms {@code acknowledge_alarm} may
 * acknowledge ({@code acknowledge.alarms}), from etc/nexus.mcp.cfg. Empty (the default) opts nothing
 * in. Both the role and this policy must allow a change. Immutable.
 */
record AgentPolicy(PathScope writeTags, PathScope acknowledgeAlarms) {

    static final AgentPolicy NONE = new AgentPolicy(PathScope.NONE, PathScope.NONE);

    /**
     * @throws IllegalArgumentException naming the setting and the glob that is not one
     */
    static AgentPolicy of(String[] writeTags, String[] acknowledgeAlarms) {
        return new AgentPolicy(scope("write.tags", writeTags), scope("acknowledge.alarms", acknowledgeAlarms));
    }

    private static PathScope scope(String setting, String[] globs) {
        List<String> list = globs == null ? List.of()
                : Arrays.stream(globs).map(String::strip).filter(g -> !g.isEmpty()).toList();
        try {
            return new PathScope(list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
        }
    }

    Optional<NexusException> refuseWrite(String path) {
        return writeTags.matches(path) ? Optional.empty()
                : forbidden("the adapter policy does not let agents write " + path + ": write.tags in etc/nexus.mcp.cfg is "
                        + (writeTags.isEmpty() ? "empty (agents write nothing)" : writeTags.toString()));
    }

    Optional<NexusException> refuseAcknowledge(String alarm, String tagPath) {
        return acknowledgeAlarms.matches(tagPath) ? Optional.empty()
                : forbidden("the adapter policy does not let agents acknowledge alarm " + alarm + " (tag " + tagPath
                        + "): acknowledge.alarms in etc/nexus.mcp.cfg is "
                        + (acknowledgeAlarms.isEmpty() ? "empty (agents acknowledge nothing)" : acknowledgeAlarms.toString()));
    }

    private static Optional<NexusException> forbidden(String message) {
        return Optional.of(new NexusException(ErrorCode.FORBIDDEN, message));
    }
}
