package nexus.api.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** Reading JSON bodies within limits, and writing JSON as a stream, gzip-compressed when accepted. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Writes a JSON document into a generator. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private Http() {
    }

    /**
     * @return the request's JSON body
     * @throws NexusException INVALID_ARGUMENT for another content type or malformed JSON,
     *                        PAYLOAD_TOO_LARGE above {@code maxBytes}
     */
    static JsonNode body(HttpServletRequest request, int maxBytes) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body must be JSON: send Content-Type: application/json"
                    + (type == null ? "" : ", not " + type));
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared, maxBytes);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream in = request.getInputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                bytes.write(buffer, 0, n);
                if (bytes.size() > maxBytes) {
                    throw tooLarge(bytes.size(), maxBytes);
                }
            }
        }
        if (bytes.size() == 0) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body is empty: send a JSON object");
        }
        try {
            JsonNode node = JSON.readTree(bytes.toByteArray());
            if (node == null || !node.isObject()) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ": "
                    + e.getOriginalMessage());
        }
    }

    private static NexusException tooLarge(long size, int max) {
        return new NexusException(ErrorCode.PAYLOAD_TOO_LARGE, "the body is " + size + " bytes; the limit is " + max);
    }

    /** Streams a JSON answer: no copy of the whole document in memory; gzip when the client accepts it. */
    static void json(HttpServletRequest request, HttpServletResponse response, int status, Body body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Vary", "Accept-Encoding");
        String accept = request.getHeader("Accept-Encoding");
        boolean gzip = accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("gzip");
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        OutputStream out = gzip ? new GZIPOutputStream(response.getOutputStream(), 8192) : response.getOutputStream();
        JsonGenerator json = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8);
        // Closed only on success: if the body fails before anything was sent, the caller can still
        // reset the response and answer with a problem instead of a cut-off 200.
        body.write(json);
        json.close();
    }

    /** @return a query parameter as a non-negative whole number, or {@code absent} */
    static int number(HttpServletRequest request, String name, int absent) {
        String text = request.getParameter(name);
        if (text == null || text.isBlank()) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, name + " must be a whole number of 0 or more, not '" + text + "'");
        }
    }

    /** @return a JSON field as a non-negative whole number, or {@code absent} */
    static int number(JsonNode body, String name, int absent) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, name + " must be a whole number of 0 or more, not " + value);
        }
        return value.intValue();
    }
}
