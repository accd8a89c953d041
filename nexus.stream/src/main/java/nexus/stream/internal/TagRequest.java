package nexus.stream.internal;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.Deadband;
import nexus.query.QueryOptions;
import nexus.query.QueryService;
import nexus.query.TagSelection;

/**
 * A checked tag subscribe (docs/streams.md, "subscribe (tags)").
 *
 * @param id         the request id, echoed in the snapshot; null when the message had none
 * @param sql        the query whose rows carry the tags, or null for {@code paths}
 * @param params     the query's placeholder values (may hold nulls)
 * @param paths      the tag paths, each once, in order; null for {@code sql}
 * @param samplingMs the sampling interval
 * @param deadband   the deadband, {@link Deadband#NONE} for none
 * @param queueSize  readings kept per tag between two messages
 * @param maxRate    most data messages per second, 0 for no limit
 */
record TagRequest(JsonNode id, String sql, List<Object> params, List<String> paths, int samplingMs, Deadband deadband,
        int queueSize, double maxRate) {

    /**
     * @return the tags a SQL subscription's query answers now
     * @throws NexusException INVALID_ARGUMENT when the query matched more rows than its row limit or
     *                        answers more than {@code itemsMax} tags; what the query service throws
     */
    List<String> select(QueryService queries, Caller caller, int itemsMax) {
        TagSelection selection = queries.selectTags(caller, sql, QueryOptions.DEFAULT.withParams(params));
        if (selection.truncated()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the query matched more rows than its row limit:"
                    + " narrow it (a WHERE clause) so that a subscription follows every tag it answers");
        }
        if (selection.paths().size() > itemsMax) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the query answers " + selection.paths().size()
                    + " tags; a subscription follows at most " + itemsMax + " (items.max): narrow it");
        }
        return selection.paths();
    }

    /** @return what the subscription follows, for the console: the SQL text or {@code N paths} */
    String target() {
        return sql != null ? sql : paths.size() + (paths.size() == 1 ? " path" : " paths");
    }
}
