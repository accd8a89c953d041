package nexus.api.http.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.http.HttpServletRequest;
import nexus.json.NexusJson;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.TagFolder;
import nexus.query.TagPage;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagWrite;
import nexus.query.WriteResult;

/**
 * {@code /api/v1/tags} and {@code /api/v1/browse}: get, list, browse and write through {@link TagService}, which holds every rule (the
 * path is a tag path, the tag exists, is writable, the value fits its type and ranges, the audit record
 * is kept). This class only turns JSON into Java values and answers into JSON; a refusal keeps the
 * service's code and message, so every front-end answers a bad path or a bad write alike.
 */
final class TagRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(TagRoutes.class);

    private static final Set<String> WRITE_FIELDS = Set.of("value");
    private static final Set<String> BATCH_FIELDS = Set.of("writes");
    private static final Set<String> ITEM_FIELDS = Set.of("path", "value");

    private TagRoutes() {
    }

    static void get(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        TagReading reading = api.tags().get(exchange.caller(), exchange.param());
        Http.json(exchange.request(), exchange.response(), 200, json -> NexusJson.tag(json, reading, true));
    }

    /**
     * {@code ?prefix=&limit=&cursor=}: one page. {@code truncated} says there are more, {@code cursor}
     * gives them (null on the last page). {@code limit=0} answers no tags, {@code truncated} when any
     * matched, and the cursor it was given.
     */
    static void list(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        HttpServletRequest request = exchange.request();
        String prefix = request.getParameter("prefix") == null ? "" : request.getParameter("prefix");
        String cursor = request.getParameter("cursor") == null || request.getParameter("cursor").isEmpty() ? null
                : request.getParameter("cursor");
        int max = api.config().tags_max();
        int limit = Math.min(Http.number(request, "limit", max), max);
        TagPage page = api.tags().list(exchange.caller(), prefix, cursor, Math.max(limit, 1));
        List<TagReading> tags = limit == 0 ? List.of() : page.items();
        boolean more = limit == 0 ? !page.items().isEmpty() : page.cursor() != null;
        String next = limit == 0 ? cursor : page.cursor();
        Http.json(request, exchange.response(), 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("tags");
            for (TagReading tag : tags) {
                NexusJson.tag(json, tag, false);
            }
            json.writeEndArray();
            json.writeBooleanField("truncated", more);
            NexusJson.nullable(json, "cursor", next);
            json.writeNumberField("registryVersion", page.registryVersion());
            json.writeEndObject();
        });
    }

    /**
     * {@code ?prefix=&limit=}: one level of the namespace for a tree browser ({@link TagService#browse}):
     * the children of the prefix with how many tags the caller reads under each. {@code limit} defaults
     * to, and is capped at, {@code tags.max}; the service refuses a limit below 1 and a prefix that is
     * no path, with its own message.
     */
    static void browse(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        HttpServletRequest request = exchange.request();
        String prefix = request.getParameter("prefix") == null ? "" : request.getParameter("prefix");
        int max = api.config().tags_max();
        int limit = Math.min(Http.number(request, "limit", max), max);
        TagFolder folder = api.tags().browse(exchange.caller(), prefix, limit);
        Http.json(request, exchange.response(), 200, json -> {
            json.writeStartObject();
            json.writeStringField("prefix", folder.prefix());
            json.writeArrayFieldStart("children");
            for (TagFolder.Child child : folder.children()) {
                json.writeStartObject();
                json.writeStringField("name", child.name());
                json.writeStringField("path", child.path());
                json.writeNumberField("tags", child.tags());
                json.writeBooleanField("tag", child.tag());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeBooleanField("complete", folder.complete());
            json.writeNumberField("registryVersion", folder.registryVersion());
            json.writeEndObject();
        });
    }

    /** {@code {"value"}}: written as the request's caller. */
    static void write(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        String path = exchange.param();
        JsonNode body = Http.body(exchange.request(), api.config().body_max());
        Http.refuseUser(body);
        Http.onlyFields(body, WRITE_FIELDS, "value");
        if (!body.has("value")) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body needs \"value\": the value to write");
        }
        Caller caller = exchange.caller();
        TagReading written = api.tags().write(caller, new TagWrite(path, TagJson.javaValue(body.get("value"))));
        LOG.debug("{} written through the HTTP API by {}: {}", path, caller.user(), body.get("value"));
        Http.json(exchange.request(), exchange.response(), 200, json -> NexusJson.tag(json, written, true));
    }

    /**
     * {@code {"writes": [{"path", "value"}…]}}: each write checked, written and audited on its own, as
     * the request's caller; answers 200 with one result per write, the refused ones carrying the problem a single write
     * would have answered. A malformed body writes nothing.
     */
    static void writeMany(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        JsonNode body = Http.body(exchange.request(), api.config().body_max());
        List<TagWrite> writes = writes(body);
        Caller caller = exchange.caller();
        List<WriteResult> results = api.tags().write(caller, writes);
        Http.json(exchange.request(), exchange.response(), 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("results");
            for (WriteResult result : results) {
                json.writeStartObject();
                json.writeStringField("path", result.path());
                json.writeBooleanField("ok", result.ok());
                if (result.ok()) {
                    json.writeFieldName("tag");
                    NexusJson.tag(json, result.reading(), true);
                } else {
                    json.writeObjectField("error", Problems.document(result.error().code(), result.error().getMessage()));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** @return the writes a batch body asks for, in order */
    static List<TagWrite> writes(JsonNode body) {
        Http.refuseUser(body);
        Http.onlyFields(body, BATCH_FIELDS, "writes");
        JsonNode writes = body.get("writes");
        if (writes == null || !writes.isArray()) {
            throw invalid("the body needs \"writes\": a list of {\"path\", \"value\"}");
        }
        List<TagWrite> list = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            JsonNode item = writes.get(i);
            String where = "writes[" + i + "]";
            if (!item.isObject()) {
                throw invalid(where + " must be an object {\"path\", \"value\"}, not " + item);
            }
            Http.onlyFields(item, ITEM_FIELDS, where, "path and value");
            JsonNode path = item.get("path");
            if (path == null || !path.isTextual() || path.asText().isEmpty()) {
                throw invalid(where + " needs \"path\": the tag's path as a string");
            }
            if (!item.has("value")) {
                throw invalid(where + " needs \"value\": the value to write");
            }
            list.add(new TagWrite(path.asText(), TagJson.javaValue(item.get("value"))));
        }
        return list;
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
