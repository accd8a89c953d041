package nexus.stream.internal;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.alarm.AlarmService;
import nexus.core.Access;
import nexus.core.Caller;

/**
 * OWNED BY THE ALARM-FEED WORK (skeleton for the seam; replaced there): makes alarm subscriptions
 * from a subscribe message's {@code alarms} and {@code resume} objects.
 */
final class AlarmSubscriptions {

    private AlarmSubscriptions() {
    }

    /**
     * @param requestId  the subscribe's {@code id} (a JsonNode: string or number), echoed in the first message
     * @param id         the subscription's id ({@code s2})
     * @param alarms     the {@code alarms} object of the subscribe message
     * @param resume     the {@code resume} object, or null
     * @param caller     who subscribes
     * @param access     a supplier of what the caller may read now (asked per event)
     * @param service    the alarm service (for the current list)
     * @param ring       the node's alarm feed
     * @param wake       to tell the connection there is something to send
     * @return the subscription; its first message is the list (or the resume answer)
     * @throws nexus.core.NexusException INVALID_ARGUMENT for a bad filter or resume (names the field)
     */
    static Subscription open(JsonNode requestId, String id, JsonNode alarms, JsonNode resume, Caller caller,
            java.util.function.Supplier<Access> access, AlarmService service, AlarmRing ring, Subscription.Wake wake) {
        throw new UnsupportedOperationException("seam skeleton");
    }
}
