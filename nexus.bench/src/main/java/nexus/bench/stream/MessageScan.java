package nexus.bench.stream;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * What the load generator needs of one stream message (docs/streams.md), read with Jackson's
 * streaming parser and nothing kept but numbers: its type, subscription, {@code seq}, whether it is
 * a snapshot, each item's {@code ts} and {@code overflow}, a heartbeat's last numbers, an error's
 * text. Reused message after message by one client; not thread-safe.
 */
final class MessageScan {

    private static final JsonFactory JSON = new JsonFactory();

    String type;
    String subscription;
    long seq;
    boolean snapshot;
    /** Items in the message. */
    int items;
    /** Items with {@code overflow: true}. */
    int overflows;
    /** The {@code ts} of the first {@link #stamped} items that have one, in nanoseconds since the epoch. */
    long[] ts = new long[1024];
    int stamped;
    /** A heartbeat's last sequence number per subscription. */
    final Map<String, Long> heartbeat = new LinkedHashMap<>();
    /** An error's code and message, or a close's code and reason. */
    String error;

    /**
     * Reads one message, forgetting the previous one.
     *
     * @throws IOException when the text is not a JSON object
     */
    void read(String message) throws IOException {
        type = null;
        subscription = null;
        seq = 0;
        snapshot = false;
        items = 0;
        overflows = 0;
        stamped = 0;
        heartbeat.clear();
        error = null;
        try (JsonParser json = JSON.createParser(message)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object: " + abbreviate(message));
            }
            String code = null;
            String text = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "type" -> type = json.getText();
                    case "subscription" -> subscription = json.getText();
                    case "seq" -> seq = json.getLongValue();
                    case "snapshot" -> snapshot = value == JsonToken.VALUE_TRUE;
                    case "items", "added" -> items(json);
                    case "subscriptions" -> heartbeat(json);
                    case "code" -> code = json.getText();
                    case "message", "reason" -> text = json.getText();
                    default -> json.skipChildren();
                }
            }
            if ("error".equals(type) || "close".equals(type)) {
                error = code + ": " + text;
            }
        }
    }

    private void items(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            json.skipChildren();
            return;
        }
        while (json.nextToken() == JsonToken.START_OBJECT) {
            items++;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (field.equals("ts") && value == JsonToken.VALUE_STRING) {
                    if (stamped == ts.length) {
                        ts = Arrays.copyOf(ts, stamped * 2);
                    }
                    ts[stamped++] = IsoInstant.epochNanos(json.getText());
                } else if (field.equals("overflow") && value == JsonToken.VALUE_TRUE) {
                    overflows++;
                } else {
                    json.skipChildren();
                }
            }
        }
    }

    private void heartbeat(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return;
        }
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            heartbeat.put(name, json.getLongValue());
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 119) + "…";
    }
}
