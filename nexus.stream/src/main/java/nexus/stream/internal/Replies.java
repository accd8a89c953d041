package nexus.stream.internal;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.ErrorCode;

/** The node's messages that belong to no subscription's data (docs/streams.md, "heartbeat, unsubscribed, pong, error"). */
final class Replies {

    private Replies() {
    }

    /** @return an {@code error} naming the request id ({@code null} when there was none) */
    static String error(JsonNode id, ErrorCode code, String message) {
        return "{\"type\":\"error\",\"id\":" + JsonText.id(id) + ",\"code\":\"" + code.name() + "\",\"message\":"
                + JsonText.quote(message) + "}";
    }

    static String pong(JsonNode id) {
        return "{\"type\":\"pong\",\"id\":" + JsonText.id(id) + "}";
    }

    static String unsubscribed(JsonNode id, String subscription) {
        return "{\"type\":\"unsubscribed\",\"id\":" + JsonText.id(id) + ",\"subscription\":" + JsonText.quote(subscription)
                + "}";
    }

    /** @return a {@code heartbeat} with the last sequence number of every subscription */
    static String heartbeat(Instant time, List<Subscription> subscriptions) {
        StringBuilder out = new StringBuilder(64 + 16 * subscriptions.size()).append("{\"type\":\"heartbeat\",\"time\":\"")
                .append(time).append("\",\"subscriptions\":{");
        for (int i = 0; i < subscriptions.size(); i++) {
            Subscription subscription = subscriptions.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append(JsonText.quote(subscription.id())).append(':').append(subscription.sequence());
        }
        return out.append("}}").toString();
    }
}
