package nexus.mcp.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import nexus.alarm.Alarm;
import nexus.query.TagInfo;
import nexus.query.TagReading;
import nexus.query.TagValue;

/**
 * The structured shapes of tags, values and alarms in tool results. Registry text goes under
 * {@code registryText} with {@code untrusted: true}: it is data people and systems wrote into the
 * registry, and an agent must not take it for instructions (prompt injection through tag metadata).
 */
final class Shapes {

    private Shapes() {
    }

    static Map<String, Object> untrusted(Object text) {
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("untrusted", true);
        wrapped.put("registryText", text);
        return wrapped;
    }

    static Map<String, Object> reading(TagReading reading, boolean properties) {
        Map<String, Object> tag = new LinkedHashMap<>();
        tag.put("path", reading.path());
        TagInfo info = reading.tag();
        if (info != null) {
            tag.put("type", info.type());
            tag.put("writable", info.writable());
            if (info.engLow() != null) {
                tag.put("engLow", info.engLow());
            }
            if (info.engHigh() != null) {
                tag.put("engHigh", info.engHigh());
            }
        }
        value(tag, reading.value());
        if (info != null) {
            Map<String, Object> text = new LinkedHashMap<>();
            text.put("unit", info.unit());
            text.put("description", info.description());
            if (properties) {
                text.put("properties", info.properties());
            }
            tag.put("registryText", untrusted(text));
        }
        return tag;
    }

    static void value(Map<String, Object> into, TagValue value) {
        into.put("value", value.value() instanceof byte[] bytes ? java.util.Base64.getEncoder().encodeToString(bytes) : value.value());
        into.put("quality", value.quality().name());
        if (value.timestamp() > 0) {
            into.put("timestamp", Instant.ofEpochSecond(0, value.timestamp()).toString());
        }
    }

    static Map<String, Object> alarm(Alarm alarm) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", alarm.name());
        a.put("tag", alarm.tag());
        a.put("state", alarm.state().name());
        a.put("severity", alarm.definition().severity().name());
        a.put("condition", String.valueOf(alarm.definition().condition()));
        a.put("active", alarm.active());
        a.put("acknowledged", alarm.acked());
        a.put("shelved", alarm.shelved());
        a.put("suppressed", alarm.suppressed());
        a.put("outOfService", alarm.outOfService());
        a.put("enabled", alarm.enabled());
        if (alarm.activatedAt() != null) {
            a.put("activatedAt", alarm.activatedAt().toString());
        }
        a.put("value", alarm.value());
        a.put("registryText", untrusted(Map.of("message", alarm.definition().message() == null ? "" : alarm.definition().message())));
        return a;
    }
}
