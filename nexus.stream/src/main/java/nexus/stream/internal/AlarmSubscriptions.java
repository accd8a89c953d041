package nexus.stream.internal;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmState;
import nexus.core.Access;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Severity;

/**
 * Makes alarm subscriptions from a subscribe message's {@code alarms} and {@code resume} objects
 * (docs/streams.md, "subscribe (alarms)" and "Resume"). Both are read strictly: an unknown field, a
 * state or severity no one knows, or a value of the wrong kind is refused with
 * {@code INVALID_ARGUMENT} naming the field and what it takes, before anything is subscribed.
 */
final class AlarmSubscriptions {

    private static final Set<String> FILTER_FIELDS = Set.of("states", "severities", "prefix");
    private static final Set<String> RESUME_FIELDS = Set.of("run", "sequence");
    /** The longest {@code resume.run}: a run id is 36 characters; a longer one is none, and is not echoed in {@code gap}. */
    static final int RUN_MAX = 64;

    private AlarmSubscriptions() {
    }

    /**
     * @param requestId  the subscribe's {@code id} (a JsonNode: string or number), echoed in the first
     *                   message; null or JSON null when the request has none (Server-Sent Events)
     * @param id         the subscription's id ({@code s2})
     * @param alarms     the {@code alarms} object of the subscribe message
     * @param resume     the {@code resume} object, or null (or JSON null) for a new subscription
     * @param caller     who subscribes
     * @param access     a supplier of what the caller may read now (asked per event)
     * @param service    the alarm service (for the current list)
     * @param ring       the node's alarm feed
     * @param wake       to tell the connection there is something to send
     * @return the subscription; its first message (the list, or the resume answer) is ready when this
     *         returns, without a wake: the connection asks for it after adding the subscription
     * @throws NexusException INVALID_ARGUMENT for a bad filter or resume (names the field); whatever
     *                        {@link AlarmService#list} throws (e.g. BACKEND_UNAVAILABLE)
     */
    static Subscription open(JsonNode requestId, String id, JsonNode alarms, JsonNode resume, Caller caller,
            Supplier<Access> access, AlarmService service, AlarmRing ring, Subscription.Wake wake) {
        AlarmFilter filter = filter(alarms);
        Resume from = resume(resume);
        return AlarmSubscription.start(requestId, id, filter, from, () -> service.list(caller, filter), access, ring,
                wake);
    }

    /** Where a client resumes: the run and the last sequence it saw. */
    record Resume(String run, long sequence) {
    }

    /**
     * @param alarms the {@code alarms} object: {@code states} and {@code severities} (arrays of names,
     *               case-insensitive), {@code prefix} (text); each empty, null or absent for all
     * @return the filter it asks for
     * @throws NexusException INVALID_ARGUMENT naming the field and what it takes
     */
    static AlarmFilter filter(JsonNode alarms) {
        if (alarms == null || !alarms.isObject()) {
            throw invalid("alarms must be an object: {\"states\": [...], \"severities\": [...], \"prefix\": \"...\"},"
                    + " each optional ({} follows every alarm)");
        }
        onlyFields(alarms, "alarms", FILTER_FIELDS, "states, severities and prefix");
        JsonNode prefix = alarms.get("prefix");
        if (prefix != null && !prefix.isNull() && !prefix.isTextual()) {
            throw invalid("alarms.prefix must be text: the start of the alarm names or tag paths to follow, e.g. \"site1/\"");
        }
        return new AlarmFilter(names(alarms.get("states"), AlarmState.class, "alarms.states"),
                names(alarms.get("severities"), Severity.class, "alarms.severities"),
                prefix == null || prefix.isNull() ? null : prefix.textValue());
    }

    /**
     * @param resume the {@code resume} object: {@code run} (text) and {@code sequence} (a whole number
     *               ≥ 0), both required; null or JSON null for none
     * @return where to resume, or null for none
     * @throws NexusException INVALID_ARGUMENT naming the field and what it takes
     */
    static Resume resume(JsonNode resume) {
        if (resume == null || resume.isNull()) {
            return null;
        }
        if (!resume.isObject()) {
            throw invalid("resume must be an object {\"run\": \"...\", \"sequence\": 41}: the run and sequence of the"
                    + " last alarm message received");
        }
        onlyFields(resume, "resume", RESUME_FIELDS, "run and sequence");
        JsonNode run = resume.get("run");
        if (run == null || !run.isTextual() || run.textValue().isBlank() || run.textValue().length() > RUN_MAX) {
            throw invalid("resume.run must be the run id (text of at most " + RUN_MAX + " characters) of the last alarm"
                    + " message received");
        }
        JsonNode sequence = resume.get("sequence");
        if (sequence == null || !sequence.isIntegralNumber() || !sequence.canConvertToLong() || sequence.longValue() < 0) {
            throw invalid("resume.sequence must be a whole number, 0 or more: the sequence of the last alarm message"
                    + " received");
        }
        return new Resume(run.textValue(), sequence.longValue());
    }

    private static <E extends Enum<E>> Set<E> names(JsonNode node, Class<E> type, String field) {
        Set<E> values = EnumSet.noneOf(type);
        if (node == null || node.isNull()) {
            return values;
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        if (!node.isArray()) {
            throw invalid(field + " must be an array of names, e.g. [\"" + type.getEnumConstants()[0].name()
                    + "\"]; the names are " + allowed);
        }
        for (JsonNode element : node) {
            String name = element.isTextual() ? element.textValue().strip().toUpperCase(Locale.ROOT) : null;
            if (name == null || Arrays.stream(type.getEnumConstants()).noneMatch(c -> c.name().equals(name))) {
                throw invalid(field + ": " + element + " is unknown: use " + allowed);
            }
            values.add(Enum.valueOf(type, name));
        }
        return values;
    }

    private static void onlyFields(JsonNode object, String name, Set<String> known, String knownText) {
        for (Iterator<String> fields = object.fieldNames(); fields.hasNext();) {
            String field = fields.next();
            if (!known.contains(field)) {
                throw invalid(name + ": unknown field '" + field + "'; it takes " + knownText);
            }
        }
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
