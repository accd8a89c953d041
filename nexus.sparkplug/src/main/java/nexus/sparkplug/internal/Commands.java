package nexus.sparkplug.internal;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;

import nexus.core.AuditTrail;
import nexus.query.TagService;

/**
 * The edge node's answer to an NCMD (docs/federation.md, "Commands"). STUB: being built.
 */
final class Commands {

    /**
     * What an NCMD asked for and what the edge node answers.
     *
     * @param rebirth whether {@code Node Control/Rebirth} was asked for (true)
     * @param answers the metrics of the NDATA that answers the command's writes, one per write
     *                (its new value or its refusal, with the request id); empty when there were none
     */
    record Outcome(boolean rebirth, List<Metric> answers) {
        Outcome {
            answers = List.copyOf(answers);
        }
    }

    Commands(EdgeSettings settings, Supplier<TagService> tags, Supplier<AuditTrail> audit, Counters counters,
            LongSupplier nowMillis) {
    }

    /**
     * Acts on one decoded NCMD. Called on the Sparkplug thread.
     *
     * @param command the NCMD's payload, decoded
     * @param table   the metrics of the birth in force: names and aliases resolve here
     */
    Outcome handle(Payload command, MetricTable table) {
        throw new UnsupportedOperationException("being built");
    }
}
