package nexus.api.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonGenerator;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.json.NexusJson;
import nexus.query.RestoreOptions;
import nexus.query.RestoreResult;
import nexus.query.SnapshotFormat;
import nexus.query.SnapshotService;
import nexus.query.SnapshotSummary;

/**
 * {@code /api/v1/snapshot}: the export streamed as it is written (chunked: no length is known in
 * advance), and the restore of a file sent as the body, through {@link SnapshotService}, which
 * produces and checks the formats and decides every write. This class moves bytes and turns a
 * restore's answer into JSON.
 */
final class SnapshotRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRoutes.class);

    /** The body types a restore takes: a snapshot file as the export wrote it. */
    private static final List<String> BODY_TYPES = List.of("application/x-ndjson", "text/csv", "application/octet-stream");

    private SnapshotRoutes() {
    }

    /** {@code ?format=jsonl|csv}. */
    static void export(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        HttpServletRequest request = exchange.request();
        HttpServletResponse response = exchange.response();
        SnapshotFormat format = SnapshotFormat.of(request.getParameter("format"));
        SnapshotService snapshots = api.snapshots();
        response.setStatus(200);
        response.setContentType(format.mediaType());
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Disposition", "attachment; filename=\"nexus-snapshot." + format.wireName() + "\"");
        OutputStream out = response.getOutputStream();
        SnapshotSummary summary = snapshots.export(exchange.caller(), format, out);
        out.flush();
        LOG.debug("{} took a snapshot of {} tags through the HTTP API", exchange.caller().user(), summary.tags());
    }

    /**
     * {@code ?dry_run=true|false&confirmation=&map=path}, the body a snapshot file. (Not {@code token}:
     * {@link AccessFilter} refuses credentials in URLs, and this is none.)
     */
    static void restore(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        HttpServletRequest request = exchange.request();
        // Checked before any parameter is read: a form body would be read as parameters.
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (BODY_TYPES.stream().noneMatch(type::startsWith)) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body is a snapshot file: send Content-Type:"
                    + " application/x-ndjson (JSON lines) or text/csv" + (type.isEmpty() ? "" : ", not " + type));
        }
        if (request.getContentLengthLong() > SnapshotService.RESTORE_MAX_BYTES) {
            throw new NexusException(ErrorCode.PAYLOAD_TOO_LARGE, "the snapshot is " + request.getContentLengthLong()
                    + " bytes; a restore reads at most " + SnapshotService.RESTORE_MAX_BYTES);
        }
        boolean dryRun = flag(request, "dry_run");
        String map = request.getParameter("map");
        if (map != null && !map.equals("path")) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "map is 'path' (match a snapshot of another layout by"
                    + " path) or absent, not '" + map + "'");
        }
        RestoreOptions options = new RestoreOptions(dryRun, request.getParameter("confirmation"), map != null);
        RestoreResult result = api.snapshots().restore(exchange.caller(), request.getInputStream(), options);
        Http.json(request, exchange.response(), 200, json -> write(json, result));
    }

    private static boolean flag(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        throw new NexusException(ErrorCode.INVALID_ARGUMENT, name + " is true or false, not '" + value + "'");
    }

    static void write(JsonGenerator json, RestoreResult result) throws IOException {
        json.writeStartObject();
        json.writeBooleanField("dryRun", result.dryRun());
        json.writeNumberField("registryVersion", result.registryVersion());
        json.writeStringField("layoutHash", result.layoutHash());
        NexusJson.nullable(json, "confirmation", result.confirmation());
        json.writeNumberField("tags", result.tags());
        json.writeNumberField("unchanged", result.unchanged());
        json.writeArrayFieldStart("changes");
        for (RestoreResult.Change change : result.changes()) {
            json.writeStartObject();
            json.writeStringField("path", change.path());
            json.writeFieldName("current");
            NexusJson.scalar(json, change.current());
            json.writeFieldName("snapshot");
            NexusJson.scalar(json, change.snapshot());
            NexusJson.nullable(json, "unit", change.unit());
            json.writeBooleanField("writable", change.writable());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("skipped");
        for (RestoreResult.Skip skip : result.skipped()) {
            json.writeStartObject();
            json.writeStringField("path", skip.path());
            json.writeStringField("reason", skip.reason());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeNumberField("skippedTags", result.skippedTags());
        strings(json, "written", result.written());
        json.writeArrayFieldStart("failed");
        for (RestoreResult.Failure failure : result.failed()) {
            json.writeStartObject();
            json.writeStringField("path", failure.path());
            json.writeObjectField("error", Problems.document(failure.error().code(), failure.error().getMessage()));
            json.writeEndObject();
        }
        json.writeEndArray();
        strings(json, "notWritten", result.notWritten());
        json.writeBooleanField("complete", result.complete());
        json.writeEndObject();
    }

    private static void strings(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
