package nexus.sparkplug.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.PropertySet;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.PropertyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagValue;
import nexus.query.TagWrite;

/**
 * The edge node's answer to an NCMD (docs/federation.md, "Commands"): a rebirth request, and tag
 * writes carried out through the {@link TagService}, each answered. Plain Java; called on the
 * Sparkplug thread only.
 *
 * <p>Each metric of the command is resolved in the birth in force by its alias, or by its name when
 * it has no alias. {@code Node Control/Rebirth} = true asks for a new birth. Every other metric is a
 * write, and every write is answered by one metric of the {@link Outcome}, in the command's order.
 * A write is checked here in this order, each refusal audited here with
 * {@link AuditRecord#refused} because the tag service never saw it:
 *
 * <table>
 * <caption>Refusals before the tag service</caption>
 * <tr><th>Check</th><th>Result</th></tr>
 * <tr><td>the name or alias is one of the birth's metrics</td><td>TAG_NOT_FOUND (answered by the name,
 * or alias, the command gave)</td></tr>
 * <tr><td>the metric is a tag (not {@code bdSeq}, {@code _nexus/...})</td><td>INVALID_ARGUMENT</td></tr>
 * <tr><td>the payload has a timestamp at most {@code edge.command.max.age.ms} from this node's clock,
 * either way</td><td>CONFLICT</td></tr>
 * <tr><td>the value is of the kind the birth's datatype carries ({@link DataTypes#value})</td>
 * <td>INVALID_ARGUMENT</td></tr>
 * <tr><td>a tag service is there</td><td>BACKEND_UNAVAILABLE</td></tr>
 * </table>
 *
 * <p>Then {@link TagService#write} checks, writes and audits; its refusal is answered with its code
 * and message. The caller of a write is {@link CommandCaller}'s: the edge's roles, the command's user.
 * A refusal whose audit record cannot be appended (no trail, or it throws) is still refused, and
 * logged.
 */
final class Commands {

    /** The node control metric that asks for a new birth. */
    static final String REBIRTH = "Node Control/Rebirth";
    /** Property of a written metric, in the command and in its answer: the host's id of the request. */
    static final String REQUEST_ID = "requestId";
    /** Property of a written metric in the command: who at the host asks. */
    static final String USER = "user";
    /** Property of an answer: {@code OK} or the refusal's {@link ErrorCode} name. */
    static final String RESULT = "result";
    /** Property of an answer to a refused write: why. */
    static final String REASON = "reason";

    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);
    private static final String ACTION = "write";
    /** Longest text of a name or value put into an audit record or a log line. */
    private static final int MAX_ECHO = 1024;

    /**
     * What an NCMD asked for and what the edge node answers.
     *
     * @param rebirth whether {@code Node Control/Rebirth} was asked for (true); already counted in
     *                {@link Counters#rebirthRequests}
     * @param answers the metrics of the NDATA that answers the command's writes, one per write
     *                (its new value or its refusal, with the request id); empty when there were none
     */
    record Outcome(boolean rebirth, List<Metric> answers) {
        Outcome {
            answers = List.copyOf(answers);
        }
    }

    private final EdgeSettings settings;
    private final Supplier<TagService> tags;
    private final Supplier<AuditTrail> audit;
    private final Counters counters;
    private final LongSupplier nowMillis;
    /** Whether the last audit append failed: the next failures are logged at DEBUG until one succeeds. */
    private boolean auditFailing;

    /**
     * @param tags      the tag service now, or {@code null} when none is there
     * @param audit     the audit trail now, or {@code null} when none is there
     * @param nowMillis this node's clock, ms since the epoch
     */
    Commands(EdgeSettings settings, Supplier<TagService> tags, Supplier<AuditTrail> audit, Counters counters,
            LongSupplier nowMillis) {
        this.settings = settings;
        this.tags = tags;
        this.audit = audit;
        this.counters = counters;
        this.nowMillis = nowMillis;
    }

    /**
     * Acts on one decoded NCMD. Called on the Sparkplug thread. Never throws for what a command
     * holds: every write ends in an answer.
     *
     * @param command the NCMD's payload, decoded
     * @param table   the metrics of the birth in force: names and aliases resolve here
     */
    Outcome handle(Payload command, MetricTable table) {
        boolean rebirth = false;
        List<Metric> answers = new ArrayList<>();
        for (Metric metric : command.getMetricsList()) {
            MetricTable.Entry entry = resolve(metric, table);
            if (isRebirth(metric, entry)) {
                boolean asked = metric.getValueCase() == Metric.ValueCase.BOOLEAN_VALUE && metric.getBooleanValue()
                        && !metric.getIsNull();
                if (!asked) {
                    LOG.debug("NCMD {} without the value true: nothing to do", REBIRTH);
                }
                rebirth |= asked;
            } else {
                answers.add(write(command, metric, entry));
            }
        }
        if (rebirth) {
            counters.rebirthRequests.increment();
        }
        return new Outcome(rebirth, answers);
    }

    private static MetricTable.Entry resolve(Metric metric, MetricTable table) {
        if (metric.hasAlias()) {
            return table.byAlias(metric.getAlias());
        }
        return metric.hasName() ? table.byName(metric.getName()) : null;
    }

    /** A rebirth request: the birth's control metric, or its name before any birth gave it an alias. */
    private static boolean isRebirth(Metric metric, MetricTable.Entry entry) {
        if (entry != null) {
            return entry.tag() == null && entry.name().equals(REBIRTH);
        }
        return !metric.hasAlias() && REBIRTH.equals(metric.getName());
    }

    /** One write: checked, carried out or refused, and answered. */
    private Metric write(Payload command, Metric metric, MetricTable.Entry entry) {
        String requestId = CommandCaller.requestId(property(metric, REQUEST_ID));
        Caller caller = CommandCaller.of(settings.identity(), property(metric, USER), requestId);
        String name = entry != null ? entry.name() : given(metric);
        Object value = raw(metric);
        TagService service = tags.get();
        try {
            if (entry == null && !metric.hasAlias() && "bdSeq".equals(metric.getName())) {
                // the birth carries it (without an alias, so it is not in the table): a metric, not a tag
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "metric bdSeq cannot be written: only the tags"
                        + " of the birth take writes (and " + REBIRTH + " takes true)");
            }
            if (entry == null) {
                throw unknown(metric);
            }
            if (entry.tag() == null) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "metric " + name + " cannot be written: only"
                        + " the tags of the birth take writes (and " + REBIRTH + " takes true)");
            }
            checkAge(command);
            value = decoded(metric, entry);
            if (service == null) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no tag service is running on this node:"
                        + " writes are refused until it is");
            }
        } catch (NexusException refusal) {
            audit(caller, echo(name), value, refusal);
            return refused(metric, entry, service, requestId, refusal);
        }
        try {
            TagReading reading = service.write(caller, new TagWrite(entry.name(), value));
            counters.writes.increment();
            LOG.debug("{} wrote {} through NCMD: {}", caller.user(), entry.name(), value);
            return answer(metric, entry, reading.value(), requestId, AuditRecord.OK, null);
        } catch (NexusException refusal) {
            return refused(metric, entry, service, requestId, refusal);
        } catch (RuntimeException e) {
            LOG.warn("The NCMD write of {} by {} failed unexpectedly", entry.name(), caller.user(), e);
            return refused(metric, entry, service, requestId, new NexusException(ErrorCode.INTERNAL,
                    "the write failed unexpectedly; this node's log says why"));
        }
    }

    private static NexusException unknown(Metric metric) {
        String which = metric.hasAlias() ? "has alias " + metric.getAlias()
                : metric.hasName() ? "is named '" + echo(metric.getName()) + "'" : "is given without name or alias";
        return new NexusException(ErrorCode.TAG_NOT_FOUND, "no metric of this node's birth " + which + ": write a tag by"
                + " its name (the tag path) or alias in the last NBIRTH, or ask for a new one with " + REBIRTH);
    }

    /** @throws NexusException CONFLICT when the payload has no timestamp, or one too far from now */
    private void checkAge(Payload command) {
        long max = settings.commandMaxAgeMs();
        if (!command.hasTimestamp()) {
            throw new NexusException(ErrorCode.CONFLICT, "the command has no payload timestamp: a write is acted on"
                    + " only when it is at most " + max + " ms old (edge.command.max.age.ms)");
        }
        long now = nowMillis.getAsLong();
        long sent = command.getTimestamp();
        if (sent >= 0 && now - sent > max) {
            throw new NexusException(ErrorCode.CONFLICT, "the command is " + (now - sent) + " ms old; the most"
                    + " edge.command.max.age.ms allows is " + max + " ms: a command is not acted on late, send it again");
        }
        if (sent < 0 || sent - now > max) {
            String ahead = sent < 0 ? "far" : (sent - now) + " ms";
            throw new NexusException(ErrorCode.CONFLICT, "the command's timestamp is " + ahead + " ahead of this"
                    + " node's clock; the most edge.command.max.age.ms allows is " + max + " ms: check the clocks of"
                    + " the host and this node");
        }
    }

    /** @throws NexusException INVALID_ARGUMENT when the value is not of the kind the birth's datatype carries */
    private static Object decoded(Metric metric, MetricTable.Entry entry) {
        try {
            return DataTypes.value(metric, entry.type());
        } catch (IllegalArgumentException e) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "tag " + entry.name() + " is published as "
                    + entry.type() + ": " + e.getMessage());
        }
    }

    private Metric refused(Metric metric, MetricTable.Entry entry, TagService service, String requestId,
            NexusException refusal) {
        counters.writesRefused.increment();
        LOG.debug("NCMD write of {} refused: {} {}", entry != null ? entry.name() : echo(given(metric)),
                refusal.code(), refusal.getMessage());
        TagValue current = entry != null && entry.tag() != null ? current(service, entry) : null;
        return answer(metric, entry, current, requestId, refusal.code().name(), refusal.getMessage());
    }

    /** @return the tag's value now as the edge identity reads it, or {@code null} when it cannot be read */
    private TagValue current(TagService service, MetricTable.Entry entry) {
        if (service == null) {
            return null;
        }
        try {
            return service.get(settings.identity(), entry.name()).value();
        } catch (RuntimeException e) {
            LOG.debug("The value of {} for the answer cannot be read: {}", entry.name(), e.getMessage());
            return null;
        }
    }

    /**
     * An answer: the tag by its alias and birth datatype (an unknown metric by the name, or alias,
     * it was given), its value or {@code is_null}, and the properties requestId, result, reason.
     */
    private Metric answer(Metric asked, MetricTable.Entry entry, TagValue value, String requestId, String result,
            String reason) {
        Metric.Builder answer = Metric.newBuilder();
        if (entry != null) {
            answer.setAlias(entry.alias()).setDatatype(entry.type().getNumber());
        } else {
            if (asked.hasAlias()) {
                answer.setAlias(asked.getAlias());
            } else {
                answer.setName(asked.getName());
            }
            if (asked.hasDatatype()) {
                answer.setDatatype(asked.getDatatype());
            }
        }
        setValue(answer, entry, value);
        answer.setTimestamp(value != null && value.timestamp() > 0 ? value.timestamp() / 1_000_000
                : nowMillis.getAsLong());
        PropertySet.Builder properties = PropertySet.newBuilder();
        if (requestId != null) {
            text(properties, REQUEST_ID, requestId);
        }
        text(properties, RESULT, result);
        if (reason != null) {
            text(properties, REASON, reason);
        }
        return answer.setProperties(properties).build();
    }

    private static void setValue(Metric.Builder answer, MetricTable.Entry entry, TagValue value) {
        if (entry == null || value == null || !value.quality().isGood() || value.value() == null) {
            answer.setIsNull(true);
            return;
        }
        try {
            DataTypes.setValue(answer, entry.type(), value.value());
        } catch (IllegalArgumentException e) {
            LOG.debug("The value of {} does not suit its datatype {}: {}", entry.name(), entry.type(), e.getMessage());
            answer.setIsNull(true);
        }
    }

    private static void text(PropertySet.Builder properties, String key, String value) {
        properties.addKeys(key).addValues(PropertyValue.newBuilder().setType(DataType.String.getNumber())
                .setStringValue(value));
    }

    /** @return the string value of a metric property, or {@code null} when there is none (or not a string) */
    static String property(Metric metric, String key) {
        if (!metric.hasProperties()) {
            return null;
        }
        PropertySet properties = metric.getProperties();
        int count = Math.min(properties.getKeysCount(), properties.getValuesCount());
        for (int i = 0; i < count; i++) {
            if (key.equals(properties.getKeys(i))) {
                PropertyValue value = properties.getValues(i);
                return value.hasStringValue() && !value.getIsNull() ? value.getStringValue() : null;
            }
        }
        return null;
    }

    /** @return the name a metric was given, else its alias as text ({@code alias 17}), else empty */
    private static String given(Metric metric) {
        return metric.hasName() ? metric.getName() : metric.hasAlias() ? "alias " + metric.getAlias() : "";
    }

    /** @return the value as sent, whatever its datatype, for the audit record of a refusal */
    private static Object raw(Metric metric) {
        if (metric.getIsNull()) {
            return null;
        }
        return switch (metric.getValueCase()) {
            case INT_VALUE -> (long) metric.getIntValue();
            case LONG_VALUE -> metric.getLongValue();
            case FLOAT_VALUE -> metric.getFloatValue();
            case DOUBLE_VALUE -> metric.getDoubleValue();
            case BOOLEAN_VALUE -> metric.getBooleanValue();
            case STRING_VALUE -> cut(metric.getStringValue());
            default -> null;
        };
    }

    /** @return a value's text cut for an audit record: a command may carry megabytes */
    private static String cut(String text) {
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "…";
    }

    /**
     * @return a name the command gave, fit for a message, an audit record or a log line: without
     *         control characters (no forged log lines) and cut
     */
    private static String echo(String name) {
        return CommandCaller.clean(name, MAX_ECHO);
    }

    private void audit(Caller caller, String name, Object value, NexusException refusal) {
        AuditTrail trail = audit.get();
        String why;
        if (trail == null) {
            why = "no audit trail is running";
        } else {
            try {
                trail.append(AuditRecord.refused(caller, AuditRecord.Target.TAG, name, ACTION, null, value, refusal));
                if (auditFailing) {
                    LOG.info("The audit trail takes the refusals of NCMD writes again");
                    auditFailing = false;
                }
                return;
            } catch (RuntimeException e) {
                why = "the audit trail cannot take it (" + e.getMessage() + ")";
            }
        }
        if (auditFailing) {
            LOG.debug("The refused NCMD write of {} by {} ({}) is not audited: {}", name, caller.user(), refusal.code(),
                    why);
        } else {
            LOG.warn("The refused NCMD write of {} by {} ({}) is not audited: {}; the next such failures are logged"
                    + " at DEBUG until the trail takes records again", name, caller.user(), refusal.code(), why);
            auditFailing = true;
        }
    }
}
